package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Unicast peers on a segment whose bridge drops multicast (nftables), as VMware port groups and clouds do:
 * multicast CARP splits there (the control), unicast CARP keeps one holder, fails over on a crash and bows out on
 * SIGTERM; a node that is not in the list changes nothing; a node missing from its own list refuses to start.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(240)
class UnicastPeersIT extends ThreeNodeLab {

    private String[] peers(String... more) {
        List<String> a = new ArrayList<>();
        for (LabHost n : List.of(n1, n2, n3)) {
            a.add("--peer");
            a.add(n.address());
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private String[] with(String[] base, String... more) {
        List<String> a = new ArrayList<>(List.of(base));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void withoutMulticastTheMulticastGroupSplitsButTheUnicastGroupKeepsOneHolder() throws IOException {
        // given a segment that drops multicast frames
        lab.dropMulticast();

        // when three nodes run in multicast mode (the control)
        List<LabProcess> multicast = List.of(lab.startKarp(n1, "--advskew", "0"), lab.startKarp(n2, "--advskew", "50"),
                lab.startKarp(n3, "--advskew", "100"));

        // then every node hears nobody and takes the VIP: the lab really drops multicast
        assertThat(Await.until(FAILOVER, () -> lab.holders().size() >= 2))
                .as("two or more holders without multicast; logs:%n%s", lab.logs()).isTrue();
        for (LabProcess p : multicast) {
            p.term();
            assertThat(p.waitFor(Duration.ofSeconds(10))).hasValue(0);
        }

        // when they run in unicast mode instead
        lab.startKarpAsMaster(n1, peers("--advskew", "0"));
        lab.startKarp(n2, peers("--advskew", "50"));
        lab.startKarp(n3, peers("--advskew", "100"));

        // then n1 alone holds the VIP, the others follow it, and the client reaches it
        boolean settled = settles(() -> lab.heldBy(n1) && lab.believedMaster(n2).equals(n1.address())
                && lab.believedMaster(n3).equals(n1.address()));
        assertThat(settled).as("n1 alone holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n1.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();
    }

    @Test
    void aCrashedUnicastMasterIsReplacedAndASigtermedOneHandsOverAtOnce() throws IOException {
        // given a unicast group on a segment without multicast, n1 master
        lab.dropMulticast();
        LabProcess a = lab.startKarpAsMaster(n1, peers("--advskew", "0"));
        LabProcess b = lab.startKarp(n2, peers("--advskew", "50"));
        lab.startKarp(n3, peers("--advskew", "100"));
        assertThat(settles(() -> lab.heldBy(n1) && lab.believedMaster(n2).equals(n1.address()))).as(lab.logs())
                .isTrue();

        // when n1 crashes (its VIP goes with its namespace's address, as with a dead node)
        a.kill();
        lab.exec(n1, "ip", "addr", "del", dev.karp.lab.NetnsLab.VIP + "/24", "dev", n1.iface());

        // then n2 takes over and n3 follows it
        assertThat(Await.until(FAILOVER, () -> lab.heldBy(n2) && lab.believedMaster(n3).equals(n2.address())))
                .as(lab.logs()).isTrue();

        // when n2 is stopped with SIGTERM
        b.term();

        // then it bows out, n3 takes over and n2 exits cleanly without the VIP
        assertThat(b.waitFor(Duration.ofSeconds(10))).as(b.logText()).hasValue(0);
        assertThat(Await.until(FAILOVER, () -> lab.heldBy(n3))).as(lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n3.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();
    }

    @Test
    void aNodeWithThePasswordButNotInTheListChangesNothingAndIsCounted() throws IOException {
        // given a unicast group, n1 master
        lab.dropMulticast();
        lab.startKarpAsMaster(n1, peers("--advskew", "0"));
        lab.startKarp(n2, peers("--advskew", "50"));
        assertThat(settles(() -> lab.heldBy(n1) && lab.believedMaster(n2).equals(n1.address()))).as(lab.logs())
                .isTrue();

        // when a fourth node with the right password, not in their list, advertises to them more often than n1
        LabHost intruder = lab.client();
        lab.startKarp(intruder, "--advbase", "0", "--advskew", "100", "--peer", intruder.address(), "--peer",
                n1.address(), "--peer", n2.address());

        // then n1 stays master, n2 keeps following n1, and both count the intruder's adverts as not a peer
        assertThat(Await.until(FAILOVER, () -> rejectedAsNotAPeer(n1) > 0 && rejectedAsNotAPeer(n2) > 0))
                .as(lab.logs()).isTrue();
        assertThat(lab.holders()).containsExactly(n1);
        assertThat(lab.state(n1)).isEqualTo("MASTER");
        assertThat(lab.believedMaster(n2)).isEqualTo(n1.address());
        assertThat(lab.fetch(n1).lastTransitions()).extracting(t -> t.to()).containsOnly("BACKUP", "MASTER")
                .last().isEqualTo("MASTER");
    }

    private long rejectedAsNotAPeer(LabHost n) {
        try {
            return lab.fetch(n).counters().rejected().getOrDefault("NOT_A_PEER", 0L);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void aNodeMissingFromItsOwnListRefusesToStartAndChangesNothing() throws IOException {
        // when n1 is given a list of the other two only
        ExecResult r = lab.runKarp(n1, "run", "-i", n1.iface(), "-v", "7", "--password-file",
                lab.passwordFile().toString(), "--vip", dev.karp.lab.NetnsLab.VIP + "/24", "--peer", n2.address(), "--peer", n3.address());

        // then it exits 2 with one line that names the address to add
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("--peer lists no IPv4 address of this node; add " + n1.address());
        assertThat(lab.holders()).isEmpty();
    }

    @Test
    void unicastAdvertsGoToEachPeersOwnMacAndAddressWithTtl255AndUcarpsHmac() throws IOException {
        // given a capture on the bridge and a unicast master
        lab.dropMulticast();
        lab.startKarpAsMaster(n1, peers("--advskew", "0"));
        lab.startKarp(n2, peers("--advskew", "50"));
        lab.startKarp(n3, peers("--advskew", "100"));
        assertThat(settles(() -> lab.heldBy(n1) && lab.believedMaster(n3).equals(n1.address()))).as(lab.logs())
                .isTrue();
        // Captured once every node runs (before its karp starts, a node's kernel answers with ICMP errors).
        LabProcess capture = lab.startCapture("unicast");
        Await.until(Duration.ofSeconds(4), () -> false);
        capture.term();
        capture.waitFor(Duration.ofSeconds(5));

        // when the frames are read back
        ExecResult fields = lab.exec(lab.client(), "tshark", "-r", lab.capturePath("unicast").toString(), "-Y",
                "ip.proto == 112 && ip.src == " + n1.address() + " && !icmp", "-T", "fields", "-e", "eth.dst", "-e", "ip.dst",
                "-e", "ip.ttl");
        ExecResult sniff = lab.runKarp(lab.client(), "sniff", "--read", lab.capturePath("unicast").toString(),
                "--passfile", lab.passwordFile().toString(), "--vip", dev.karp.lab.NetnsLab.VIP);

        // then n1's adverts went to n2's and n3's own MAC and IP, with TTL 255, and verify as UCarp's HMAC
        List<String> lines = fields.stdout().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(fields.toString()).isNotEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l).isIn(n2.mac() + "\t" + n2.address() + "\t255",
                n3.mac() + "\t" + n3.address() + "\t255"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(n2.mac()));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(n3.mac()));
        assertThat(sniff.stdout()).as(sniff.toString()).contains(n1.address() + " > " + n2.address())
                .contains("hmac=valid").doesNotContain("hmac=invalid");
    }
}
