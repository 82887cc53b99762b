package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.VIP;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Carp;
import dev.karp.carp.InetChecksum;
import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.lab.ThreeNodeLab;
import dev.karp.link.PcapLink;
import dev.karp.link.ReceivedFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --auth strict and its migration (issue 16 items 1 and 2), on three namespaces: a rolling update from ucarp through
 * migrate to strict never puts the VIP on two nodes; adverts forged from a real capture (a better advskew from a
 * made-up master) and replays of a dead master's adverts move the VIP (or hold the backups off) with --auth ucarp
 * and are rejected and counted with --auth strict.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(300)
class StrictAuthIT extends ThreeNodeLab {
    private static final String MADE_UP = "10.200.0.99";

    // ---- the rolling migration -------------------------------------------------------------------

    @Test
    void aRollingUpdateFromUcarpThroughMigrateToStrictNeverHasTwoHolders() throws Exception {
        // given three nodes in ucarp mode, n1 master, and a monitor of every address change on each node
        List<LabProcess> monitors = new ArrayList<>();
        for (LabHost n : List.of(n1, n2, n3)) {
            monitors.add(lab.start(n, "addr-monitor-" + n.label(), "ip", "-ts", "monitor", "address"));
        }
        Map<LabHost, LabProcess> karps = new java.util.LinkedHashMap<>();
        karps.put(n1, lab.startKarpAsMaster(n1, "--advskew", "10", "--auth", "ucarp"));
        karps.put(n2, lab.startKarp(n2, "--advskew", "50", "--auth", "ucarp"));
        karps.put(n3, lab.startKarp(n3, "--advskew", "100", "--auth", "ucarp"));
        assertThat(settles(() -> lab.heldBy(n1) && follow(n1, n2, n3))).as(lab.logs()).isTrue();
        Sampler sampler = new Sampler();
        Thread sampling = new Thread(sampler, "holder-sampler");
        sampling.start();
        List<String> steps = new ArrayList<>();
        Map<LabHost, Integer> skew = Map.of(n1, 10, n2, 50, n3, 100);

        // when every node is restarted with --auth migrate, then every node with --auth strict, one at a time,
        // backups first and the master last in each round (SIGTERM, start with the new flag, wait until it follows)
        try {
            for (String mode : List.of("migrate", "strict")) {
                LabHost master = lab.holders().get(0);
                List<LabHost> order = new ArrayList<>(List.of(n1, n2, n3));
                order.remove(master);
                order.add(master);
                for (LabHost n : order) {
                    sampler.mark(n.label() + " -> " + mode);
                    steps.add(n.label() + " -> " + mode);
                    LabProcess old = karps.get(n);
                    old.term();
                    assertThat(old.waitFor(Duration.ofSeconds(15))).as(old.logText()).hasValue(0);
                    karps.put(n, lab.startKarpAndAwaitStatus(n, "--advskew", Integer.toString(skew.get(n)), "--auth", mode));
                    // the restarted node follows the current holder before the next node goes
                    assertThat(settles(() -> lab.holders().size() == 1 && follow(lab.holders().get(0), n1, n2, n3)))
                            .as("after %s: %s", steps, lab.logs()).isTrue();
                    System.out.printf("  after %s -> %s: holder %s, rejected n1 %s n2 %s n3 %s%n", n.label(), mode,
                            lab.holders(), lab.fetch(n1).counters().rejected(), lab.fetch(n2).counters().rejected(),
                            lab.fetch(n3).counters().rejected());
                }
            }
            Thread.sleep(2000);
        } finally {
            sampler.stop();
            sampling.join();
        }

        // then no sample saw two holders, the last one sees one, and the address changes never overlap
        String timeline = sampler.timeline();
        System.out.println("rolling migration ucarp -> migrate -> strict, holder count every ~50 ms:\n" + timeline);
        for (LabProcess m : monitors) {
            m.term();
        }
        List<long[]> holding = new ArrayList<>();
        StringBuilder monitorLogs = new StringBuilder();
        for (LabHost n : List.of(n1, n2, n3)) {
            String log = Files.readString(lab.dir().resolve("addr-monitor-" + n.label() + ".log"));
            monitorLogs.append("---- ").append(n.label()).append('\n').append(log);
            List<long[]> periods = holdingIntervals(log, n);
            holding.addAll(periods);
            for (long[] p : periods) {
                System.out.printf("  %s held the VIP from %s to %s%n", n.label(), Instant.ofEpochMilli(p[0] / 1000),
                        p[1] == Long.MAX_VALUE ? "the end" : Instant.ofEpochMilli(p[1] / 1000));
            }
        }
        Optional<String> overlap = overlap(holding);
        System.out.println("address monitor: " + holding.size() + " holding periods, overlap: " + overlap.orElse("none")
                + "; longest gap without a holder: " + longestGapMillis(holding) + " ms");
        assertThat(sampler.maxHolders()).as(timeline).isEqualTo(1);
        assertThat(overlap).as("two nodes held the VIP at once; steps %s; address changes:%n%s%nlogs:%n%s", steps,
                monitorLogs, lab.logs()).isEmpty();
        assertThat(sampler.last()).as(timeline).isEqualTo(1);
        assertThat(sampler.longestWithoutHolderMillis()).as(timeline).isLessThan(3000);
        assertThat(lab.holders()).hasSize(1);
        // and in strict mode every node counts nothing forged, replayed or with a bad HMAC
        for (LabHost n : List.of(n1, n2, n3)) {
            Map<String, Long> rejected = lab.fetch(n).counters().rejected();
            assertThat(rejected).as("%s rejected", n).doesNotContainKeys("FORGED", "REPLAYED", "BAD_DIGEST");
        }
        assertThat(lab.logs()).doesNotContain("forged:").doesNotContain("replayed:").doesNotContain("bad HMAC");
    }

    private boolean follow(LabHost master, LabHost... nodes) {
        for (LabHost n : nodes) {
            if (n != master && !lab.believedMaster(n).equals(master.address())) {
                return false;
            }
        }
        return true;
    }

    /** Samples the holder count every ~50 ms and keeps it as a run-length timeline with the steps marked. */
    private final class Sampler implements Runnable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> lines = new ArrayList<>();
        private final long start = System.nanoTime();
        private int current = -1;
        private long since;
        private int samples;
        private int max;
        private int last = -1;
        private long zeroSince = -1;
        private long longestZero;

        @Override
        public void run() {
            while (running.get()) {
                int n = holdersNow();
                long now = (System.nanoTime() - start) / 1_000_000;
                synchronized (this) {
                    samples++;
                    max = Math.max(max, n);
                    last = n;
                    if (n == 0 && zeroSince < 0) {
                        zeroSince = now;
                    } else if (n != 0 && zeroSince >= 0) {
                        longestZero = Math.max(longestZero, now - zeroSince);
                        zeroSince = -1;
                    }
                    if (n != current) {
                        close(now);
                        current = n;
                        since = now;
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * The nodes seen holding the VIP in two scans, in node order and then backwards. Reading three namespaces
         * one by one takes tens of milliseconds; a handover inside one scan (the old master read before it let go,
         * the new one after it took over) would show two holders that never held it together. A node holding it
         * at both of its reads held it all along between them, so the nodes counted held it together.
         */
        private int holdersNow() {
            List<LabHost> forward = lab.holders();
            List<LabHost> backward = new ArrayList<>();
            List<LabHost> nodes = new ArrayList<>(List.of(n1, n2, n3));
            java.util.Collections.reverse(nodes);
            for (LabHost n : nodes) {
                try {
                    if (lab.hasAddress(n, n.iface(), VIP)) {
                        backward.add(n);
                    }
                } catch (IOException e) {
                    return forward.size();
                }
            }
            return (int) forward.stream().filter(backward::contains).count();
        }

        private void close(long now) {
            if (current >= 0) {
                lines.add(String.format("  %7.2f s .. %7.2f s  holders=%d", since / 1000.0, now / 1000.0, current));
            }
        }

        synchronized void mark(String step) {
            lines.add(String.format("  %7.2f s  step: %s", (System.nanoTime() - start) / 1e9, step));
        }

        void stop() {
            running.set(false);
        }

        synchronized String timeline() {
            close((System.nanoTime() - start) / 1_000_000);
            current = -1;
            return String.join("\n", lines) + "\n  " + samples + " samples, max holders " + max
                    + ", longest without a holder " + longestZero + " ms";
        }

        synchronized int maxHolders() {
            return max;
        }

        synchronized int last() {
            return last;
        }

        synchronized long longestWithoutHolderMillis() {
            return longestZero;
        }
    }

    private static final Pattern MONITOR = Pattern.compile("^\\[([0-9T:.\\-]+)\\] (Deleted )?\\d+: \\S+\\s+inet (\\S+)/");

    /** [from, to] in µs since the epoch for each period {@code node} held the VIP, from {@code ip -ts monitor address}. */
    private static List<long[]> holdingIntervals(String log, LabHost node) {
        List<long[]> out = new ArrayList<>();
        long from = -1;
        for (String line : log.lines().toList()) {
            Matcher m = MONITOR.matcher(line);
            if (!m.find() || !m.group(3).equals(VIP)) {
                continue;
            }
            long t = LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() * 1000
                    + LocalDateTime.parse(m.group(1)).getNano() / 1000 % 1000;
            if (m.group(2) == null && from < 0) {
                from = t;
            } else if (m.group(2) != null && from >= 0) {
                out.add(new long[] {from, t, node.label().hashCode()});
                from = -1;
            }
        }
        if (from >= 0) {
            out.add(new long[] {from, Long.MAX_VALUE, node.label().hashCode()});
        }
        return out;
    }

    private static Optional<String> overlap(List<long[]> periods) {
        for (long[] a : periods) {
            for (long[] b : periods) {
                if (a != b && a[2] != b[2] && a[0] < b[1] && b[0] < a[1]) {
                    return Optional.of(Instant.ofEpochMilli(Math.max(a[0], b[0]) / 1000) + " for "
                            + (Math.min(a[1], b[1]) - Math.max(a[0], b[0])) + " µs");
                }
            }
        }
        return Optional.empty();
    }

    private static long longestGapMillis(List<long[]> periods) {
        TreeMap<Long, Long> byStart = new TreeMap<>();
        periods.forEach(p -> byStart.put(p[0], p[1]));
        long gap = 0;
        Long end = null;
        for (Map.Entry<Long, Long> e : byStart.entrySet()) {
            if (end != null && e.getKey() > end) {
                gap = Math.max(gap, e.getKey() - end);
            }
            end = end == null ? e.getValue() : Math.max(end, e.getValue());
        }
        return gap / 1000;
    }

    // ---- forged and replayed adverts ------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ucarp", "strict"})
    void aBetterMasterForgedFromACapturedAdvertMovesTheVipOnlyWithoutStrictAuth(String mode) throws Exception {
        // given n1 master at advskew 100, n2 backup at 150
        lab.startKarpAsMaster(n1, "--auth", mode, "--advskew", "100");
        lab.startKarp(n2, "--auth", mode, "--advskew", "150", "--metrics-addr", "127.0.0.1:9242");
        assertThat(settles(() -> lab.heldBy(n1) && follow(n1, n2))).as(lab.logs()).isTrue();

        try (NetnsThread client = lab.thread(lab.client())) {
            PcapLink link = client.call(() -> PcapLink.open(PcapLink.Options.of(lab.client().iface(),
                    Carp.ipv4(addressBytes(lab.client().address())))));
            try {
                // when someone without the password takes one of n1's adverts, writes advskew 0 and a made-up
                // source 10.200.0.99 into it, fixes the checksums and sends it every 200 ms for 5 s
                byte[] forged = capture(link, n1, 1).get(0);
                forged[14 + 15] = 99;
                forged[34 + Carp.OFF_ADVSKEW] = 0;
                fixChecksums(forged);
                boolean n1LostTheVip = false;
                boolean n2FollowedTheGhost = false;
                int sent = 0;
                for (long end = System.nanoTime() + Duration.ofSeconds(5).toNanos(); System.nanoTime() < end; sent++) {
                    link.send(forged);
                    Thread.sleep(200);
                    n1LostTheVip |= !lab.holders().contains(n1);
                    n2FollowedTheGhost |= lab.believedMaster(n2).equals(MADE_UP);
                }
                System.out.printf("--auth %s: %d forged adverts (advskew 0 from %s): n1 lost the VIP %s, n2 followed"
                        + " the made-up master %s, rejected n1 %s n2 %s%n", mode, sent, MADE_UP, n1LostTheVip,
                        n2FollowedTheGhost, lab.fetch(n1).counters().rejected(), lab.fetch(n2).counters().rejected());

                if (mode.equals("ucarp")) {
                    // then in ucarp mode the forgery works: the VIP leaves n1 for a master that does not exist
                    assertThat(n1LostTheVip && n2FollowedTheGhost).as(lab.logs()).isTrue();
                } else {
                    // then in strict mode nothing moves, and both nodes count and log the forgery
                    assertThat(n1LostTheVip || n2FollowedTheGhost).as(lab.logs()).isFalse();
                    assertThat(lab.fetch(n1).counters().rejected().getOrDefault("FORGED", 0L)).isGreaterThan(0);
                    assertThat(lab.fetch(n2).counters().rejected().getOrDefault("FORGED", 0L)).isGreaterThan(0);
                    assertThat(lab.logs()).contains("dropped advert from " + MADE_UP + ": forged: bad strict HMAC");
                    assertThat(metric(n2, "forged")).isGreaterThan(0);
                }
            } finally {
                link.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ucarp", "strict"})
    void replayingADeadMastersAdvertsHoldsTheBackupOffOnlyWithoutStrictAuth(String mode) throws Exception {
        // given n1 master, n2 backup, and 8 of n1's adverts captured
        LabProcess a = lab.startKarpAsMaster(n1, "--auth", mode, "--advskew", "0");
        lab.startKarp(n2, "--auth", mode, "--advskew", "100");
        assertThat(settles(() -> lab.heldBy(n1) && follow(n1, n2))).as(lab.logs()).isTrue();

        try (NetnsThread client = lab.thread(lab.client())) {
            PcapLink link = client.call(() -> PcapLink.open(PcapLink.Options.of(lab.client().iface(),
                    Carp.ipv4(addressBytes(lab.client().address())))));
            try {
                List<byte[]> recorded = capture(link, n1, 8);

                // when n1 dies (its VIP goes with it) and the recorded adverts are replayed at n1's pace for 8 s
                a.kill();
                lab.exec(n1, "ip", "addr", "del", VIP + "/24", "dev", n1.iface());
                boolean n2TookOver = false;
                for (int i = 0; i < 8; i++) {
                    link.send(recorded.get(i));
                    Thread.sleep(1000);
                    n2TookOver |= lab.heldBy(n2);
                }
                System.out.printf("--auth %s: 8 replayed adverts of dead n1 over 8 s: n2 took over %s, rejected %s%n",
                        mode, n2TookOver, lab.fetch(n2).counters().rejected());

                if (mode.equals("ucarp")) {
                    // then in ucarp mode the replay keeps n2 from taking over: nobody holds the VIP
                    assertThat(n2TookOver).as(lab.logs()).isFalse();
                    assertThat(lab.holders()).isEmpty();
                } else {
                    // then in strict mode n2 takes over within its master-down interval, counting the replays
                    assertThat(n2TookOver).as(lab.logs()).isTrue();
                    assertThat(lab.fetch(n2).counters().rejected().getOrDefault("REPLAYED", 0L)).isGreaterThan(0);
                    assertThat(lab.logs()).contains("replayed: counter");
                }
                // and once the replay stops, n2 holds the VIP in either mode
                assertThat(Await.until(FAILOVER, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();
            } finally {
                link.close();
            }
        }
    }

    /** The next {@code count} adverts {@code from} sends, as captured on the client. */
    private static List<byte[]> capture(PcapLink link, LabHost from, int count) throws Exception {
        List<byte[]> out = new ArrayList<>();
        byte[] src = addressBytes(from.address());
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < count && System.nanoTime() < end) {
            Optional<ReceivedFrame> f = link.receive(Duration.ofMillis(500));
            if (f.isEmpty()) {
                continue;
            }
            byte[] b = new byte[f.get().buffer().remaining()];
            f.get().buffer().get(f.get().buffer().position(), b);
            if (b.length >= Carp.FRAME_LEN && b[14 + 9] == Carp.IPPROTO_CARP
                    && java.util.Arrays.equals(b, 14 + 12, 14 + 16, src, 0, 4)) {
                out.add(b);
            }
        }
        assertThat(out).as("adverts captured from %s", from).hasSize(count);
        return out;
    }

    private static byte[] addressBytes(String address) throws IOException {
        return InetAddress.getByName(address).getAddress();
    }

    private static void fixChecksums(byte[] f) {
        f[24] = 0;
        f[25] = 0;
        int ip = InetChecksum.checksum(f, 14, 20);
        f[24] = (byte) (ip >>> 8);
        f[25] = (byte) ip;
        f[40] = 0;
        f[41] = 0;
        int carp = InetChecksum.checksum(f, 34, 36);
        f[40] = (byte) (carp >>> 8);
        f[41] = (byte) carp;
    }

    private double metric(LabHost n, String reason) throws Exception {
        return lab.metrics(n).value("karp_adverts_rejected_total", "reason", reason).orElse(0);
    }
}
