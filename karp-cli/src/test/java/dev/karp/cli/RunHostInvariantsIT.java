package dev.karp.cli;

import static dev.karp.cli.KarpLab.FAILOVER;
import static dev.karp.cli.KarpLab.SETTLE;
import static dev.karp.cli.KarpLab.VIP;
import static dev.karp.cli.KarpLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
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
        k.lab().exec(node, "ip", "addr", "add", VIP + "/24", "dev", node.iface()).orThrow();
    }

    @Test
    void aStaleVipOnANodeIsRemovedWhenKarpStarts() throws IOException {
        // given a VIP left on n2 and n3, as a crashed run would leave it
        addVipByHand(n2);
        addVipByHand(n3);
        assertThat(k.holders()).containsExactly(n2, n3);

        // when the cluster starts, n1 preferred
        k.startKarpAsMaster(n1, "--advskew", "0");
        LabProcess b = k.startKarp(n2, "--advskew", "50");
        LabProcess c = k.startKarp(n3, "--advskew", "100");

        // then only the master, n1, holds it
        boolean one = settles(() -> k.heldBy(n1) && k.state(n2).equals("BACKUP") && k.state(n3).equals("BACKUP"));
        assertThat(one).as(k.logs()).isTrue();
        assertThat(b.logText()).contains("removed " + VIP + " from eth0");
        assertThat(c.logText()).contains("removed " + VIP + " from eth0");
    }

    @Test
    void anOrphanVipThatAppearsOnABackupIsRemovedAndLogged() throws IOException {
        // given a settled cluster
        k.startKarpAsMaster(n1, "--advskew", "0");
        k.startKarp(n2, "--advskew", "50");
        LabProcess c = k.startKarp(n3, "--advskew", "100");
        assertThat(settles(() -> k.heldBy(n1) && k.state(n3).equals("BACKUP"))).as(k.logs()).isTrue();

        // when someone adds the VIP on the backup n3
        addVipByHand(n3);

        // then karp removes it (within about an advert interval; the bound here is generous) and says so
        boolean removed = Await.until(FAILOVER, () -> k.heldBy(n1));
        assertThat(removed).as(k.logs()).isTrue();
        assertThat(c.logText()).contains(VIP + " appeared on eth0 while BACKUP; removing it");
        assertThat(k.state(n3)).isEqualTo("BACKUP");
    }

    @Test
    void aNodeWithAWrongPasswordIsCountedAndLoggedButDoesNotDisturbTheOthers() throws IOException {
        // given n1 master and n2 backup
        LabProcess a = k.startKarpAsMaster(n1, "--advskew", "0");
        LabProcess b = k.startKarp(n2, "--advskew", "50");
        assertThat(settles(() -> k.heldBy(n1) && k.state(n2).equals("BACKUP"))).as(k.logs()).isTrue();
        long transitionsA = k.fetch(n1).transitions();
        long transitionsB = k.fetch(n2).transitions();

        // when n3 joins with another password (it hears no valid advert, so it becomes a master of its own,
        // as UCarp does: ucarp-spec §7.16) and advertises every 100 ms to make many rejects quickly
        Path wrong = k.writePassword("wrong-password", "wrongpw");
        k.startKarp(n3, "--password-file", wrong.toString(), "--advbase", "0", "--advskew", "25");
        boolean counted = Await.until(SETTLE, () -> rejectedDigests(n1) > 20 && rejectedDigests(n2) > 20);

        // then n1 and n2 count the adverts, log a few of them, and keep their roles
        assertThat(counted).as("BAD_DIGEST counted on n1 and n2; logs:%n%s", k.logs()).isTrue();
        assertThat(k.fetch(n1).state()).isEqualTo("MASTER");
        assertThat(k.fetch(n1).transitions()).isEqualTo(transitionsA);
        assertThat(k.fetch(n2).master()).isEqualTo(n1.address());
        assertThat(k.fetch(n2).transitions()).isEqualTo(transitionsB);
        for (LabProcess p : List.of(a, b)) {
            long lines = p.logText().lines().filter(l -> l.contains("dropped advert from " + n3.address())).count();
            assertThat(lines).as("bad-HMAC warnings in %s (rate-limited)", p.name()).isBetween(1L, 5L);
            assertThat(p.logText()).contains("bad HMAC; check --pass, --vhid and --addr");
        }
        assertThat(k.holders()).contains(n1);
    }

    private long rejectedDigests(LabHost node) {
        return k.status(node).map(StatusSnapshot::counters).map(c -> c.rejected().getOrDefault("BAD_DIGEST", 0L))
                .orElse(0L);
    }
}
