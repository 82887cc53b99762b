package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.SETTLE;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
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
 * {@code karp run} and real UCarp (the Debian package) in one vhid: each accepts the other's adverts, the
 * group has one master, and the VIP moves both ways. UCarp reacts up to about 1 s late (libpcap without
 * immediate mode, ucarp-spec §1.6), which the generous bounds of {@link NetnsLab} cover.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(180)
class UcarpInteropIT extends ThreeNodeLab {
    @Test
    void aKarpMasterKeepsUcarpBackupsQuietAndHandsOverToThemOnSigterm() throws IOException {
        // given karp master on n1, ucarp backups on n2 (advskew 50) and n3 (advskew 100)
        LabProcess karp = lab.startKarp(n1, "--advskew", "0");
        assertThat(Await.until(SETTLE, () -> lab.heldBy(n1))).as(lab.logs()).isTrue();
        LabProcess b = lab.startUcarpInGroup(n2, "--advskew=50");
        LabProcess c = lab.startUcarpInGroup(n3, "--advskew=100");

        // when they have run together well past a master-down interval
        boolean oneMaster = Await.holdsFor(Duration.ofSeconds(6), () -> lab.heldBy(n1));

        // then the ucarps accepted karp's adverts: they never took the VIP, and never saw a bad digest
        assertThat(oneMaster).as("only n1 holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.events()).doesNotContain("UP   node=n2").doesNotContain("UP   node=n3");
        assertThat(lab.clientReachesVipAt(n1.mac())).isTrue();

        // and when karp is stopped, its bow-out advert makes ucarp take over without a timeout
        karp.term();
        assertThat(karp.waitFor(Duration.ofSeconds(10))).as(karp.logText()).hasValue(0);
        boolean tookOver = settles(() -> lab.heldBy(n2));
        assertThat(tookOver).as("ucarp n2 alone holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(b.logText()).contains("Putting MASTER DOWN (going to time out)");
        assertThat(lab.clientReachesVipAt(n2.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();
        for (LabProcess u : List.of(b, c)) {
            assertThat(u.logText()).as(u.name()).doesNotContain("Bad digest");
            assertThat(u.isAlive()).isTrue();
        }
    }

    @Test
    void karpBackupsFollowAUcarpMasterAndTakeOverWhenItsLinkGoesDown() throws IOException {
        // given ucarp master on n1, karp backups on n2 (advskew 50) and n3 (advskew 100)
        LabProcess a = lab.startUcarpInGroup(n1, "--advskew=0");
        assertThat(Await.until(SETTLE, () -> lab.heldBy(n1))).as(lab.logs()).isTrue();
        lab.startKarp(n2, "--advskew", "50");
        lab.startKarp(n3, "--advskew", "100");

        // when karp has heard the ucarp master
        boolean following = settles(() -> lab.heldBy(n1) && lab.believedMaster(n2).equals(n1.address())
                && lab.believedMaster(n3).equals(n1.address()));

        // then both karps accept its adverts and stay backups
        assertThat(following).as(lab.logs()).isTrue();
        for (LabHost n : List.of(n2, n3)) {
            StatusSnapshot s = lab.fetch(n);
            assertThat(s.state()).isEqualTo("BACKUP");
            assertThat(s.counters().received()).isPositive();
            assertThat(s.counters().rejected()).as("rejected on %s", n).isEmpty();
        }

        // and when the ucarp master loses carrier, the preferred karp takes over
        lab.linkDown(n1);
        boolean tookOver = Await.until(FAILOVER, () -> lab.holders().equals(List.of(n2))
                && lab.believedMaster(n3).equals(n2.address()));
        assertThat(tookOver).as("karp n2 holds the VIP (ucarp n1 ran its downscript); logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n2.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(a.logText()).doesNotContain("Bad digest");
    }

    @Test
    void aMixedGroupStartedTogetherSettlesOnOneMasterAndFailsOverFromKarpToUcarpAndBack() throws IOException {
        // given karp n1 (advskew 0), ucarp n2 (advskew 50), karp n3 (advskew 100), started together. The
        // faster nodes preempt: ucarp starts in a millisecond and karp's JVM takes a second or two, and
        // ucarp's takeover comes k·P + up to 1 s after the last advert (ucarp-spec §4.4, §1.6), later than
        // karp's 3 s + advskew/256 even for a higher advskew. Without preemption the first master would
        // simply stay, which is correct CARP but not a deterministic test.
        LabProcess karp1 = lab.startKarp(n1, "--advskew", "0", "--preempt");
        LabProcess ucarp2 = lab.startUcarpInGroup(n2, "--advskew=50", "--preempt");
        lab.startKarp(n3, "--advskew", "100");

        // when the election settles
        boolean settled = settles(() -> lab.heldBy(n1) && lab.believedMaster(n3).equals(n1.address()));
        assertThat(settled).as(lab.logs()).isTrue();

        // then karp n1 fails over to ucarp n2 when n1's link goes down ...
        lab.linkDown(n1);
        boolean toUcarp = Await.until(FAILOVER, () -> lab.heldBy(n2) && lab.believedMaster(n3).equals(n2.address()));
        assertThat(toUcarp).as("ucarp n2 took over from karp n1; logs:%n%s", lab.logs()).isTrue();

        // ... and ucarp n2 to karp n3 when n2's process is killed (its VIP stays behind, as UCarp leaves it)
        ucarp2.kill();
        boolean toKarp = Await.until(FAILOVER, () -> lab.holders().contains(n3) && lab.state(n3).equals("MASTER"));
        assertThat(toKarp).as("karp n3 took over from ucarp n2; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n3.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(ucarp2.logText()).doesNotContain("Bad digest");
        assertThat(karp1.isAlive()).isTrue();
    }
}
