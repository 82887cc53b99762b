package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.SETTLE;
import static dev.karp.lab.NetnsLab.VIP;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code karp run} keeps the host right where UCarp does not (ucarp-spec §7.10, §7.13, §7.16): a VIP left
 * over from a crash or added by hand never stays on a backup, and a misconfigured peer is counted and
 * logged without flooding the log or disturbing the election.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(180)
class RunHostInvariantsIT extends ThreeNodeLab {
    private void addVipByHand(LabHost node) throws IOException {
        lab.exec(node, "ip", "addr", "add", VIP + "/24", "dev", node.iface()).orThrow();
    }

    @Test
    void aStaleVipOnANodeIsRemovedWhenKarpStarts() throws IOException {
        // given a VIP left on n2 and n3, as a crashed run would leave it
        addVipByHand(n2);
        addVipByHand(n3);
        assertThat(lab.holders()).containsExactly(n2, n3);

        // when the cluster starts, n1 preferred
        lab.startKarpAsMaster(n1, "--advskew", "0");
        LabProcess b = lab.startKarp(n2, "--advskew", "50");
        LabProcess c = lab.startKarp(n3, "--advskew", "100");

        // then only the master, n1, holds it
        boolean one = settles(() -> lab.heldBy(n1) && lab.state(n2).equals("BACKUP") && lab.state(n3).equals("BACKUP"));
        assertThat(one).as(lab.logs()).isTrue();
        assertThat(b.logText()).contains("removed " + VIP + " from eth0");
        assertThat(c.logText()).contains("removed " + VIP + " from eth0");
    }

    @Test
    void anOrphanVipThatAppearsOnABackupIsRemovedAndLogged() throws IOException {
        // given a settled cluster
        lab.startKarpAsMaster(n1, "--advskew", "0");
        lab.startKarp(n2, "--advskew", "50");
        LabProcess c = lab.startKarp(n3, "--advskew", "100");
        assertThat(settles(() -> lab.heldBy(n1) && lab.state(n3).equals("BACKUP"))).as(lab.logs()).isTrue();

        // when someone adds the VIP on the backup n3
        addVipByHand(n3);

        // then karp removes it (within about an advert interval; the bound here is generous) and says so
        boolean removed = Await.until(FAILOVER, () -> lab.heldBy(n1));
        assertThat(removed).as(lab.logs()).isTrue();
        assertThat(c.logText()).contains(VIP + " appeared on eth0 while BACKUP; removing it");
        assertThat(lab.state(n3)).isEqualTo("BACKUP");
    }

    @Test
    void aNodeWithAWrongPasswordIsCountedAndLoggedButDoesNotDisturbTheOthers() throws IOException {
        // given n1 master and n2 backup
        LabProcess a = lab.startKarpAsMaster(n1, "--advskew", "0");
        LabProcess b = lab.startKarp(n2, "--advskew", "50");
        assertThat(settles(() -> lab.heldBy(n1) && lab.state(n2).equals("BACKUP"))).as(lab.logs()).isTrue();
        long transitionsA = lab.fetch(n1).transitions();
        long transitionsB = lab.fetch(n2).transitions();

        // when n3 joins with another password (it hears no valid advert, so it becomes a master of its own,
        // as UCarp does: ucarp-spec §7.16) and advertises every 100 ms to make many rejects quickly
        Path wrong = lab.writePassword("wrong-password", "wrongpw");
        lab.startKarp(n3, "--password-file", wrong.toString(), "--advbase", "0", "--advskew", "25");
        boolean counted = Await.until(SETTLE, () -> rejectedDigests(n1) > 20 && rejectedDigests(n2) > 20);

        // then n1 and n2 count the adverts, log a few of them, and keep their roles
        assertThat(counted).as("BAD_DIGEST counted on n1 and n2; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.fetch(n1).state()).isEqualTo("MASTER");
        assertThat(lab.fetch(n1).transitions()).isEqualTo(transitionsA);
        assertThat(lab.fetch(n2).master()).isEqualTo(n1.address());
        assertThat(lab.fetch(n2).transitions()).isEqualTo(transitionsB);
        for (LabProcess p : List.of(a, b)) {
            long lines = p.logText().lines().filter(l -> l.contains("dropped advert from " + n3.address())).count();
            assertThat(lines).as("bad-HMAC warnings in %s (rate-limited)", p.name()).isBetween(1L, 5L);
            assertThat(p.logText()).contains("bad HMAC; check --pass, --vhid and --addr");
        }
        assertThat(lab.holders()).contains(n1);
    }

    private long rejectedDigests(LabHost node) {
        return lab.status(node).map(StatusSnapshot::counters).map(c -> c.rejected().getOrDefault("BAD_DIGEST", 0L))
                .orElse(0L);
    }
}
