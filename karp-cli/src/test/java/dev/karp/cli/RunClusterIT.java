package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.SETTLE;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three {@code karp run} (the built jar) in network namespaces: election, failover, graceful handover,
 * preemption and partitions, seen from the host (who holds the VIP), from a client (ping, neighbour
 * entry) and from each node's status endpoint. Waits are bounded; nothing is timed.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(180)
class RunClusterIT extends ThreeNodeLab {
    /**
     * n1 (advskew 0) is preferred over n2 (50) and n3 (100); returns the three processes once n1 holds the VIP.
     * n1 starts first (see {@link NetnsLab#startKarpAsMaster}).
     */
    private List<LabProcess> startClusterOnN1(String... n1Options) throws IOException {
        List<String> first = new java.util.ArrayList<>(List.of("--advskew", "0"));
        first.addAll(List.of(n1Options));
        List<LabProcess> p = List.of(lab.startKarpAsMaster(n1, first.toArray(String[]::new)),
                lab.startKarp(n2, "--advskew", "50"),
                lab.startKarp(n3, "--advskew", "100"));
        boolean settled = settles(() -> lab.heldBy(n1) && lab.state(n1).equals("MASTER")
                && lab.believedMaster(n2).equals(n1.address()) && lab.believedMaster(n3).equals(n1.address()));
        assertThat(settled).as("n1 MASTER with the VIP, n2 and n3 BACKUP; logs:%n%s", lab.logs()).isTrue();
        return p;
    }

    @Test
    void exactlyOneNodeHoldsTheVipTheClientReachesItAndEveryNodeAgreesWhoIsMaster() throws IOException {
        // given three nodes started together
        startClusterOnN1();

        // when the client pings the VIP
        boolean reached = lab.clientReachesVipAt(n1.mac());

        // then it reaches n1, and every status names n1 as master
        assertThat(reached).as("client reaches the VIP at n1's MAC; neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(lab.holders()).containsExactly(n1);
        for (LabHost n : List.of(n1, n2, n3)) {
            StatusSnapshot s = lab.fetch(n);
            assertThat(s.master()).as("master in %s's status", n).isEqualTo(n1.address());
            assertThat(s.vipPresent()).as("vipPresent in %s's status", n).isEqualTo(n == n1);
            assertThat(s.counters().rejected()).as("rejected adverts on %s", n).isEmpty();
        }
        assertThat(lab.fetch(n2).peers()).extracting(StatusSnapshot.Peer::src).contains(n1.address());
    }

    @Test
    void whenTheMastersLinkGoesDownTheNextNodeTakesTheVipAndTheClientReachesIt() throws IOException {
        // given
        startClusterOnN1();

        // when n1 loses carrier (its cable is pulled)
        lab.linkDown(n1);

        // then n2 takes over, and n1, cut off, steps down and releases the VIP
        boolean tookOver = Await.until(FAILOVER, () -> lab.heldBy(n2) && lab.state(n2).equals("MASTER"));
        assertThat(tookOver).as("n2 alone holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n2.mac())).as("client reaches n2; neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(lab.state(n1)).isEqualTo("BACKUP");
        assertThat(lab.comesToFollow(n3, n2)).as(lab.logs()).isTrue();
    }

    @Test
    void atAdvbaseZeroTheNextBackupFollowsOnTwoIntervalsAndAloneTakesOverWhenTheMastersCableIsPulled()
            throws IOException {
        // given the tuned profile: n1 advertises every 13/256 s; n2 (advskew 14) is next in line
        lab.startKarpAsMaster(n1, "--advbase", "0", "--advskew", "13");
        lab.startKarp(n2, "--advbase", "0", "--advskew", "14");
        lab.startKarp(n3, "--advbase", "0", "--advskew", "20");
        assertThat(settles(() -> lab.believedMaster(n2).equals(n1.address())
                && lab.believedMaster(n3).equals(n1.address()))).as(lab.logs()).isTrue();

        // then n2 waits two of its intervals and a guard (1/16 of one, more if it saw late adverts), not three
        double interval = 14 / 256.0;
        assertThat(lab.fetch(n2).masterDownSeconds()).as(lab.logs())
                .isBetween(2 * interval + interval / 16 - 0.001, 3 * interval + 0.001);

        // when n1's cable is pulled
        lab.linkDown(n1);

        // then n2 takes over, and n3 never does: it hears n2 before its own, longer wait ends
        boolean tookOver = Await.until(FAILOVER, () -> lab.heldBy(n2) && lab.state(n2).equals("MASTER"));
        assertThat(tookOver).as("n2 alone holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.comesToFollow(n3, n2)).as(lab.logs()).isTrue();
        assertThat(lab.fetch(n3).lastTransitions()).extracting(StatusSnapshot.Transition::to).as(lab.logs())
                .doesNotContain("MASTER");
        assertThat(lab.clientReachesVipAt(n2.mac())).as("client reaches n2; neigh %s", lab.clientNeighMac()).isTrue();
    }

    @Test
    void aMasterWhoseInterfaceIsAdministrativelyDownedStepsDownAndRejoinsAsBackupWhenItComesBack()
            throws IOException {
        // given
        List<LabProcess> p = startClusterOnN1();

        // when someone runs 'ip link set eth0 down' on n1 (UCarp exits then, and keeps the VIP: ucarp-spec §7.11)
        lab.adminDown(n1);

        // then karp keeps running as BACKUP without the VIP, and n2 takes over
        boolean tookOver = Await.until(FAILOVER, () -> lab.heldBy(n2) && lab.state(n1).equals("BACKUP"));
        assertThat(tookOver).as("n2 alone holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(p.get(0).isAlive()).isTrue();

        // and when the interface comes back, n1 follows n2 (no --preempt) and the VIP stays on one node
        lab.adminUp(n1);
        boolean rejoined = settles(() -> lab.heldBy(n2) && lab.believedMaster(n1).equals(n2.address()));
        assertThat(rejoined).as(lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n2.mac())).isTrue();
    }

    @Test
    void sigtermWhileTheLinkIsDownExitsAtOnce() throws IOException {
        // given a master that lost carrier (UCarp defers SIGTERM until carrier returns: ucarp-spec §4.8, §7.12)
        LabProcess a = lab.startKarpAsMaster(n1, "--advskew", "0");
        lab.linkDown(n1);
        assertThat(Await.until(FAILOVER, () -> lab.state(n1).equals("BACKUP") && lab.holders().isEmpty()))
                .as(a.logText()).isTrue();

        // when
        a.term();

        // then
        assertThat(a.waitFor(Duration.ofSeconds(10))).as(a.logText()).hasValue(0);
    }

    @Test
    void aMasterWhoseInterfaceIsDeletedAndRecreatedRejoinsAsBackup() throws IOException {
        // given
        List<LabProcess> p = startClusterOnN1();

        // when n1's eth0 disappears (UCarp exits silently then: ucarp-spec §7.11), and comes back
        lab.deleteInterface(n1);
        boolean tookOver = Await.until(FAILOVER, () -> lab.heldBy(n2));
        lab.recreateInterface(n1);

        // then karp on n1 survives and follows n2, which keeps the VIP alone
        assertThat(tookOver).as(lab.logs()).isTrue();
        boolean rejoined = settles(() -> lab.heldBy(n2) && lab.believedMaster(n1).equals(n2.address()));
        assertThat(rejoined).as(lab.logs()).isTrue();
        assertThat(p.get(0).isAlive()).isTrue();
    }

    @Test
    void whenTheMastersProcessIsKilledTheNextNodeTakesTheVipAndTheClientReachesIt() throws IOException {
        // given
        List<LabProcess> p = startClusterOnN1();

        // when karp on n1 dies without any cleanup
        p.get(0).kill();

        // then n2 takes over after the master-down interval; the client follows its gratuitous ARP
        boolean tookOver = Await.until(FAILOVER, () -> lab.holders().contains(n2) && lab.state(n2).equals("MASTER"));
        assertThat(tookOver).as("n2 takes the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n2.mac())).as("client reaches n2; neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(lab.comesToFollow(n3, n2)).as(lab.logs()).isTrue();
        String takeover = lab.fetch(n2).lastTransitions().get(lab.fetch(n2).lastTransitions().size() - 1).reason();
        assertThat(takeover).startsWith("master down: no advert for");
    }

    @Test
    void aKilledMasterThatRestartsRemovesTheVipItLeftBehind() throws IOException {
        // given n1 was killed and n2 took over; without a VIP lifetime SIGKILL leaves n1's VIP configured, as
        // with UCarp (with one, the kernel removes it: VipLifetimeIT)
        List<LabProcess> p = startClusterOnN1("--vip-lifetime", "off");
        p.get(0).kill();
        assertThat(Await.until(FAILOVER, () -> lab.holders().equals(List.of(n1, n2)))).as(lab.logs()).isTrue();

        // when karp starts again on n1 (without --preempt)
        lab.startKarp(n1, "--advskew", "0");

        // then the leftover VIP goes at start and n2 stays master
        boolean cleaned = settles(() -> lab.heldBy(n2) && lab.state(n1).equals("BACKUP"));
        assertThat(cleaned).as("only n2 holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.comesToFollow(n1, n2)).as(lab.logs()).isTrue();
    }

    @Test
    void sigtermOfTheMasterHandsOverAtOnceWithoutWaitingForATimeout() throws IOException {
        // given
        List<LabProcess> p = startClusterOnN1();

        // when n1 is asked to stop
        p.get(0).term();

        // then it exits 0 with its VIP removed, and n2 took over on the bow-out advert, not on a timeout
        assertThat(p.get(0).waitFor(Duration.ofSeconds(10))).as(p.get(0).logText()).hasValue(0);
        assertThat(Await.until(FAILOVER, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();
        List<StatusSnapshot.Transition> t = lab.fetch(n2).lastTransitions();
        StatusSnapshot.Transition takeover = t.get(t.size() - 1);
        assertThat(takeover.to()).isEqualTo("MASTER");
        // (after its advskew/256 s, so that n3 follows n2 instead of taking over as well: docs/protocol.md)
        assertThat(takeover.reason()).as(lab.logs()).matches("(master will time out|master bowed out).*")
                .doesNotContain("no advert");
        assertThat(p.get(0).logText()).contains("MASTER -> BACKUP (shutdown: bowed out)");
        assertThat(lab.clientReachesVipAt(n2.mac())).isTrue();
        assertThat(lab.comesToFollow(n3, n2)).as(lab.logs()).isTrue();
    }

    @Test
    void aPreferredNodeWithPreemptTakesOverFromASlowerMaster() throws IOException {
        // given n2 (advskew 50) is master alone
        lab.startKarp(n2, "--advskew", "50");
        assertThat(Await.until(SETTLE, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();

        // when n1 (advskew 0, --preempt) joins
        lab.startKarp(n1, "--advskew", "0", "--preempt");

        // then n1 takes over and n2 steps down
        boolean preempted = settles(() -> lab.heldBy(n1) && lab.state(n2).equals("BACKUP"));
        assertThat(preempted).as(lab.logs()).isTrue();
        List<StatusSnapshot.Transition> t = lab.fetch(n1).lastTransitions();
        assertThat(t.get(t.size() - 1).reason()).startsWith("preemption");
        assertThat(lab.comesToFollow(n2, n1)).as(lab.logs()).isTrue();
    }

    @Test
    void aPreferredNodeWithoutPreemptLeavesTheMasterAlone() throws IOException {
        // given n2 (advskew 50) is master alone
        lab.startKarp(n2, "--advskew", "50");
        assertThat(Await.until(SETTLE, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();

        // when n1 (advskew 0, no --preempt) joins and follows n2
        lab.startKarpAndAwaitStatus(n1, "--advskew", "0");
        assertThat(Await.until(SETTLE, () -> lab.believedMaster(n1).equals(n2.address()))).as(lab.logs()).isTrue();

        // then n2 keeps the VIP
        boolean stays = Await.holdsFor(Duration.ofSeconds(6), () -> lab.heldBy(n2) && lab.state(n1).equals("BACKUP"));
        assertThat(stays).as(lab.logs()).isTrue();
    }

    @Test
    void afterAPartitionHealsExactlyOneNodeHoldsTheVip() throws IOException {
        // given n1 is master, and then cut off from the others (and the client), keeping carrier
        startClusterOnN1();
        lab.isolate(List.of(n1));
        boolean split = Await.until(FAILOVER, () -> lab.holders().equals(List.of(n1, n2)));
        assertThat(split).as("each side has a master; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n2.mac())).isTrue();

        // when the partition heals
        lab.heal();

        // then the preferred n1 is the only master again, and everyone knows it
        boolean healed = settles(() -> lab.heldBy(n1) && lab.state(n2).equals("BACKUP") && lab.state(n3).equals("BACKUP"));
        assertThat(healed).as(lab.logs()).isTrue();
        assertThat(List.of(n1, n2, n3)).allSatisfy(n -> assertThat(lab.comesToFollow(n, n1)).isTrue());
        assertThat(lab.clientReachesVipAt(n1.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();
    }
}
