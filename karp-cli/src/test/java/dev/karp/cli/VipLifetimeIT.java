package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.VIP;
import static dev.karp.lab.NetnsLab.VIP6;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The VIP lifetime (the default of {@code karp run}): the VIPs (IPv4 and IPv6) of a master that is killed (SIGKILL)
 * or frozen (SIGSTOP) leave its interface by themselves, so that after the master-down interval exactly one node
 * holds them; a frozen master that wakes up rejoins as a backup instead of taking them back; a VIP with a finite
 * lifetime found at start or on a backup is removed as any other. Holders are sampled with {@code ip -j addr} in
 * each namespace while it happens; how long two nodes held a VIP is printed, not asserted (no timed assertions).
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(240)
class VipLifetimeIT extends ThreeNodeLab {
    private static final String[] VIPS = {"--vip", VIP + "/24", "--vip", VIP6 + "/64"};
    /** n2's master-down interval (advbase 1, advskew 50: 3.195 s) with a generous margin for a busy machine. */
    private static final Duration MASTER_DOWN_AND_MARGIN = Duration.ofSeconds(10);

    @Override
    protected boolean withIpv6() {
        return true;
    }

    private static String[] with(String... options) {
        List<String> a = new ArrayList<>(List.of(VIPS));
        a.addAll(List.of(options));
        return a.toArray(String[]::new);
    }

    /** n1 master (advskew 0), n2 backup (advskew 50); both VIPs on n1, with a finite lifetime that is renewed. */
    private LabProcess startPairOnN1() throws IOException {
        LabProcess a = lab.startKarpAsMaster(n1, with("--advskew", "0"));
        lab.startKarp(n2, with("--advskew", "50"));
        assertThat(settles(() -> held(n1).equals("46") && held(n2).isEmpty()
                && lab.believedMaster(n2).equals(n1.address()))).as(lab.logs()).isTrue();
        // Longer than the lifetime (2 s on n1): renewed, never expired, never deprecated.
        assertThat(Await.holdsFor(Duration.ofSeconds(5), () -> held(n1).equals("46"))).as(lab.logs()).isTrue();
        for (JsonNode a4 : addrInfo(n1)) {
            String local = a4.path("local").asText();
            if (local.equals(VIP) || local.equals(VIP6)) {
                assertThat(a4.path("valid_life_time").asLong()).as(local + " valid_lft").isBetween(1L, 3L);
                assertThat(a4.path("preferred_life_time").asLong()).as(local + " preferred_lft").isBetween(1L, 3L);
                assertThat(a4.path("deprecated").asBoolean(false)).as(local + " deprecated").isFalse();
                assertThat(a4.path("tentative").asBoolean(false)).as(local + " tentative").isFalse();
            }
        }
        return a;
    }

    @Test
    void aKilledMastersVipsExpireAndTheBackupAloneHoldsThem() throws Exception {
        LabProcess master = startPairOnN1();

        try (Sampler s = new Sampler()) {
            // when karp on n1 is killed: no bow-out, no cleanup
            master.kill();

            // then after the master-down interval n2 alone holds both VIPs, n1 neither
            assertThat(Await.until(MASTER_DOWN_AND_MARGIN, () -> held(n2).equals("46") && held(n1).isEmpty()))
                    .as(lab.logs()).isTrue();
            assertThat(Await.holdsFor(Duration.ofSeconds(3), () -> held(n2).equals("46") && held(n1).isEmpty()))
                    .as(lab.logs()).isTrue();
            s.report("SIGKILL");
        }
    }

    @Test
    void aFrozenMastersVipsExpireAndWhenItWakesItRejoinsAsABackup() throws Exception {
        LabProcess master = startPairOnN1();

        try (Sampler s = new Sampler()) {
            // when karp on n1 is frozen
            master.stop();

            // then after the master-down interval n2 alone holds both VIPs, n1 neither
            assertThat(Await.until(MASTER_DOWN_AND_MARGIN, () -> held(n2).equals("46") && held(n1).isEmpty()))
                    .as(lab.logs()).isTrue();
            assertThat(Await.holdsFor(Duration.ofSeconds(2), () -> held(n2).equals("46") && held(n1).isEmpty()))
                    .as(lab.logs()).isTrue();

            // when it wakes up (it is the preferred node, without --preempt)
            master.cont();

            // then it rejoins as a backup following n2, and n2 keeps the VIPs alone
            assertThat(Await.until(FAILOVER, () -> lab.state(n1).equals("BACKUP")
                    && lab.believedMaster(n1).equals(n2.address()))).as(lab.logs()).isTrue();
            assertThat(Await.holdsFor(Duration.ofSeconds(4), () -> held(n2).equals("46") && held(n1).isEmpty()))
                    .as(lab.logs()).isTrue();
            assertThat(master.logText()).contains("rejoining as a backup");
            s.report("SIGSTOP + SIGCONT");
        }
    }

    @Test
    void vipsWithAFiniteLifetimeAtStartOrOnABackupAreStillRemoved() throws Exception {
        // given a VIP left with a finite lifetime on n2 (a killed karp restarted within the lifetime)
        lab.exec(n2, "ip", "addr", "add", VIP + "/24", "dev", n2.iface(), "valid_lft", "60", "preferred_lft", "60");

        // when the group starts on n1 and n2
        lab.startKarpAsMaster(n1, with("--advskew", "0"));
        lab.startKarp(n2, with("--advskew", "50"));

        // then n2 removed it at start
        assertThat(settles(() -> held(n1).equals("46") && held(n2).isEmpty())).as(lab.logs()).isTrue();

        // when one appears on the backup with a finite lifetime
        lab.exec(n2, "ip", "addr", "add", VIP6 + "/64", "dev", n2.iface(), "valid_lft", "60", "preferred_lft", "60",
                "nodad");

        // then it is removed
        assertThat(Await.until(FAILOVER, () -> held(n2).isEmpty())).as(lab.logs()).isTrue();
        assertThat(held(n1)).isEqualTo("46");
    }

    /** Which VIPs {@code n} holds in one dump: "4", "6", "46" or "". */
    private String held(LabHost n) {
        boolean v4 = false;
        boolean v6 = false;
        try {
            for (JsonNode a : addrInfo(n)) {
                v4 |= a.path("local").asText().equals(VIP);
                v6 |= a.path("local").asText().equals(VIP6);
            }
        } catch (IOException e) {
            return "?";
        }
        return (v4 ? "4" : "") + (v6 ? "6" : "");
    }

    private List<JsonNode> addrInfo(LabHost n) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode link : lab.ipAddrJson(n)) {
            if (link.path("ifname").asText().equals(n.iface())) {
                link.path("addr_info").forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Samples which of n1 and n2 hold the VIPs about every 50 ms on its own thread (one {@code ip -o addr} process per
     * sample for both namespaces; bounded in time and closed at the end of the test). For each family it adds up the
     * time in which both held the VIP: at least the span of consecutive two-holder samples, at most the span from the
     * sample before them to the one after.
     */
    private final class Sampler implements AutoCloseable {
        private final Thread thread;
        private final long faultNanos = System.nanoTime();
        private final List<String> seen = new ArrayList<>();
        private volatile boolean running = true;
        private long samples;
        private final long[] atLeast = new long[2];
        private final long[] atMost = new long[2];

        Sampler() {
            thread = new Thread(this::run, "holder-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            String script = "ip -o -n " + n1.netns() + " addr show dev " + n1.iface() + "; echo ==; ip -o -n "
                    + n2.netns() + " addr show dev " + n2.iface();
            long limit = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long prev = faultNanos;
            long[] runStart = {-1, -1};
            long[] runFirst = {-1, -1};
            long[] runLast = {-1, -1};
            while (running && System.nanoTime() - limit < 0) {
                String out;
                try {
                    out = dev.karp.lab.Exec.run(Duration.ofSeconds(5), List.of("sh", "-c", script)).stdout();
                } catch (IOException e) {
                    continue;
                }
                long now = System.nanoTime();
                String[] parts = out.split("==", 2);
                String h1 = holds(parts[0]);
                String h2 = parts.length > 1 ? holds(parts[1]) : "?";
                synchronized (this) {
                    samples++;
                    for (int f = 0; f < 2; f++) {
                        String fam = f == 0 ? "4" : "6";
                        boolean two = h1.contains(fam) && h2.contains(fam);
                        if (two) {
                            if (runFirst[f] < 0) {
                                runStart[f] = prev;
                                runFirst[f] = now;
                            }
                            runLast[f] = now;
                            seen.add(String.format(Locale.ROOT, "IPv%s on n1 and n2 at +%.3f s", fam,
                                    (now - faultNanos) / 1e9));
                        } else if (runFirst[f] >= 0) {
                            atLeast[f] += runLast[f] - runFirst[f];
                            atMost[f] += now - runStart[f];
                            runFirst[f] = -1;
                        }
                    }
                }
                prev = now;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private String holds(String ipOutput) {
            boolean v4 = ipOutput.contains(" " + VIP + "/");
            boolean v6 = ipOutput.contains(" " + VIP6 + "/");
            return (v4 ? "4" : "") + (v6 ? "6" : "");
        }

        synchronized void report(String fault) {
            System.out.printf(Locale.ROOT, "VipLifetimeIT %s: %d samples in %.1f s; two holders of the IPv4 VIP for"
                    + " %.3f..%.3f s, of the IPv6 VIP for %.3f..%.3f s%s%n", fault, samples,
                    (System.nanoTime() - faultNanos) / 1e9, atLeast[0] / 1e9, atMost[0] / 1e9, atLeast[1] / 1e9,
                    atMost[1] / 1e9, seen.isEmpty() ? "" : "; seen: " + String.join(", ", seen));
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
