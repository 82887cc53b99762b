package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Advert;
import dev.karp.carp.AuthMode;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.CarpSender;
import dev.karp.carp.GratuitousArp;
import dev.karp.carp.MacAddress;
import dev.karp.carp.VipAddresses;
import dev.karp.config.KarpConfig;
import dev.karp.link.FakeLink;
import dev.karp.link.FakeSegment;
import dev.karp.link.LinkState;
import dev.karp.net.Cidr;
import dev.karp.scripts.ScriptRunner;
import dev.karp.vip.RecordingVipManager;
import dev.karp.vip.VipException;
import dev.karp.vip.VipManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Daemons in this JVM on an in-memory segment, in real time. Intervals are sub-second (advbase 0)
 * so each test takes about a second; assertions wait for a condition with a generous bound and
 * never measure time.
 */
class DaemonTest {
    private static final Inet4Address VIP = ip("10.200.0.100");
    private static final Cidr VIP24 = Cidr.of(VIP, 24);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final FakeSegment segment = new FakeSegment();
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Node n : nodes) {
            n.daemon.requestShutdown();
        }
        for (Node n : nodes) {
            n.thread.join(PATIENCE.toMillis());
            n.runner.close();
        }
    }

    @Test
    void exactlyOneOfThreeNodesTakesTheVip() throws Exception {
        start(node(1, 0), node(2, 0), node(3, 0));

        await(() -> holders().size() == 1);
        Thread.sleep(300);

        assertThat(holders()).hasSize(1);
        String master = holders().get(0);
        assertThat(nodes).allSatisfy(n -> assertThat(n.daemon.status().master().orElse(null)).isEqualTo(master));
    }

    @Test
    void theLowestSkewWinsAndBackupsFollowIt() throws Exception {
        start(node(1, 10), node(2, 40).preempt(), node(3, 80));

        await(() -> holders().equals(List.of("10.200.0.11")) && statesAre("MASTER", "BACKUP", "BACKUP")
                && "10.200.0.11".equals(nodes.get(1).daemon.status().master().orElse(null)));

        // A backup's status may be published before it has read the new master's first advert: wait for it.
        await(() -> nodes.get(1).daemon.status().peers().stream().anyMatch(p -> p.source().equals("10.200.0.11")));
        assertThat(statesAre("MASTER", "BACKUP", "BACKUP")).isTrue();
    }

    @Test
    void gracefulShutdownOfTheMasterBowsOutAndTheNextNodeTakesOver() throws Exception {
        start(node(1, 10), node(2, 40));
        await(() -> holders().equals(List.of("10.200.0.11")) && statesAre("MASTER", "BACKUP"));

        Node a = nodes.get(0);
        a.daemon.requestShutdown();
        assertThat(a.daemon.awaitStopped(PATIENCE)).isTrue();

        assertThat(a.vips.list()).doesNotContain(VIP24);
        await(() -> holders().equals(List.of("10.200.0.12"))
                && nodes.get(1).daemon.status().recentChanges().size() >= 2);
        String reason = nodes.get(1).daemon.status().recentChanges().get(1).reason();
        assertThat(reason).doesNotContain("no advert for");
    }

    @Test
    void aStaleVipIsRemovedAtStart() throws Exception {
        Node n = node(1, 0);
        n.vips.putBehindTheBack(VIP24);

        start(n);
        await(() -> statesAre("MASTER"));

        assertThat(n.vips.calls()).first().isEqualTo("remove " + VIP24);
    }

    @Test
    void aNeutralNodeAloneKeepsAVipFoundAtStartAndBecomesMaster() throws Exception {
        Node n = node(1, 0).neutral();
        n.vips.putBehindTheBack(VIP24);

        start(n);
        await(() -> statesAre("MASTER"));

        assertThat(n.vips.calls()).noneMatch(c -> c.startsWith("remove"));
        assertThat(holders()).containsExactly("10.200.0.11");
    }

    @Test
    void anOrphanVipOnABackupIsRemoved() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));

        nodes.get(1).vips.putBehindTheBack(VIP24);

        await(() -> !nodes.get(1).vips.list().contains(VIP24));
        assertThat(holders()).containsExactly("10.200.0.11");
    }

    @Test
    void aMasterPutsBackAVipSomeoneRemoved() throws Exception {
        start(node(1, 0));
        await(() -> statesAre("MASTER"));

        nodes.get(0).vips.remove(VIP24);

        await(() -> holders().equals(List.of("10.200.0.11")));
    }

    @Test
    void aMasterReportsAdvertsInItsNameThatItDidNotSend() throws Exception {
        start(node(1, 0));
        await(() -> statesAre("MASTER"));
        MacAddress forger = MacAddress.parse("02:00:00:00:00:77");
        FakeLink intruder = segment.attach("eth0", forger, ip("10.200.0.77"));
        CarpSender inOurName = new CarpSender(ip("10.200.0.11"), ip("224.0.0.18"), false, VipAddresses.of(VIP),
                new CarpHmac(CarpPassword.of("s3cret")));
        byte[] forged = CarpCodec.encode(inOurName, new Advert(7, 0, 200, 42), 1234);
        forger.write(forged, 6);

        intruder.send(forged);

        Daemon master = nodes.get(0).daemon;
        await(() -> master.status().counters().rejected().getOrDefault("SPOOFED_SOURCE", 0L) >= 1);
        assertThat(master.status().alerts().spoofedFrom()).contains("02:00:00:00:00:77");
        assertThat(master.status().counters().rejected()).doesNotContainKey("OWN_SOURCE");
        assertThat(statesAre("MASTER")).isTrue();
    }

    @Test
    void aMasterReportsAnotherHostClaimingTheVipAndAnnouncesItAgain() throws Exception {
        start(node(1, 0));
        await(() -> statesAre("MASTER"));
        Node n = nodes.get(0);
        FakeLink stale = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:77"), ip("10.200.0.77"));
        n.link.clearSent();

        stale.send(GratuitousArp.frame(MacAddress.parse("02:00:00:00:00:77"), VIP));

        await(() -> n.daemon.status().alerts().vipConflicts() >= 1);
        assertThat(n.daemon.status().alerts().vipConflict()).contains("10.200.0.100 at 02:00:00:00:00:77");
        byte[] ownGarp = GratuitousArp.frame(MacAddress.parse("02:00:00:00:00:11"), VIP);
        await(() -> n.link.sentFrames().stream().anyMatch(f -> java.util.Arrays.equals(f, ownGarp)));
        assertThat(statesAre("MASTER")).isTrue();
    }

    @Test
    void aBackupReportsASecondMasterItHears() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));
        FakeLink other = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:19"), ip("10.200.0.19"));
        CarpSender second = new CarpSender(ip("10.200.0.19"), ip("224.0.0.18"), false, VipAddresses.of(VIP),
                new CarpHmac(CarpPassword.of("s3cret")));

        Daemon backup = nodes.get(1).daemon;
        for (int i = 0; i < 40 && backup.status().alerts().secondMasters() == 0; i++) {
            // A worse master that does not hear node 1: every node keeps its state.
            other.send(CarpCodec.encode(second, new Advert(7, 0, 250, 1000 + i), 1234));
            Thread.sleep(150);
        }

        assertThat(backup.status().alerts().secondMasters()).isPositive();
        await(() -> nodes.get(0).daemon.status().alerts().secondMasters() > 0);
    }

    @Test
    void aNodeWithAnotherPasswordIsCountedAndDoesNotDisturbTheElection() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));
        FakeLink intruder = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:99"), ip("10.200.0.99"));
        CarpSender wrong = new CarpSender(ip("10.200.0.99"), ip("224.0.0.18"), false, VipAddresses.of(VIP),
                new CarpHmac(CarpPassword.of("wrongpw")));

        for (int i = 0; i < 5; i++) {
            intruder.send(CarpCodec.encode(wrong, new Advert(7, 0, 1, i), 1234));
        }

        await(() -> nodes.get(1).daemon.status().counters().rejected().getOrDefault("BAD_DIGEST", 0L) >= 5);
        assertThat(statesAre("MASTER", "BACKUP")).isTrue();
    }

    @Test
    void strictNodesElectOneMasterAndRejectAForgedAndAReplayedAdvertByReason() throws Exception {
        start(node(1, 0).auth(AuthMode.STRICT), node(2, 100).auth(AuthMode.STRICT));
        await(() -> statesAre("MASTER", "BACKUP"));
        // The backup's master-down would move the VIP for a forged better master; here it must not.
        byte[] captured = segment.wire().stream().filter(f -> f.length == Carp.FRAME_LEN && f[23] == Carp.IPPROTO_CARP
                && f[29] == 11).reduce((a, b) -> b).orElseThrow();
        FakeLink intruder = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:99"), ip("10.200.0.99"));
        byte[] forged = captured.clone();
        forged[29] = 99; // a made-up master, 10.200.0.99
        forged[34 + Carp.OFF_ADVSKEW] = 0;
        fixChecksums(forged);

        for (int i = 0; i < 3; i++) {
            intruder.send(forged);
            intruder.send(captured);
        }

        await(() -> nodes.get(1).daemon.status().counters().rejected().getOrDefault("FORGED", 0L) >= 3
                && nodes.get(1).daemon.status().counters().rejected().getOrDefault("REPLAYED", 0L) >= 3);
        assertThat(statesAre("MASTER", "BACKUP")).isTrue();
        assertThat(nodes.get(1).daemon.status().master()).contains("10.200.0.11");
    }

    @Test
    void migrateNodesAndUcarpNodesFollowOneMasterTogether() throws Exception {
        start(node(1, 0).auth(AuthMode.MIGRATE), node(2, 100), node(3, 200).auth(AuthMode.MIGRATE));

        await(() -> statesAre("MASTER", "BACKUP", "BACKUP") && nodes.stream().allMatch(n ->
                "10.200.0.11".equals(n.daemon.status().master().orElse(null))));
        assertThat(holders()).containsExactly("10.200.0.11");
        assertThat(nodes.get(2).daemon.status().counters().rejected()).isEmpty();
    }

    private static void fixChecksums(byte[] f) {
        f[24] = 0;
        f[25] = 0;
        int ip = dev.karp.carp.InetChecksum.checksum(f, 14, 20);
        f[24] = (byte) (ip >>> 8);
        f[25] = (byte) ip;
        f[34 + 6] = 0;
        f[34 + 7] = 0;
        int carp = dev.karp.carp.InetChecksum.checksum(f, 34, 36);
        f[34 + 6] = (byte) (carp >>> 8);
        f[34 + 7] = (byte) carp;
    }

    @Test
    void lossOfCarrierOnTheMasterMovesTheVip() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));

        nodes.get(0).link.setState(LinkState.NO_CARRIER);

        await(() -> statesAre("BACKUP", "MASTER"));
        assertThat(holders()).containsExactly("10.200.0.12");
    }

    @Test
    void demotionMovesTheVipToAHealthyNode() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));

        nodes.get(0).daemon.setHealthy(false);

        await(() -> statesAre("BACKUP", "MASTER"));
        assertThat(nodes.get(0).daemon.status().health().orElse(null)).isEqualTo("failing");
        assertThat(nodes.get(0).daemon.status().advskew()).isEqualTo(240);
    }

    @Test
    void theStatusShowsTheHealthChecksLineAndNullWithoutACheck() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));

        nodes.get(0).daemon.setHealth(true, "ok (1/2 failed: connection refused)");

        await(() -> "ok (1/2 failed: connection refused)".equals(nodes.get(0).daemon.status().health().orElse(null)));
        assertThat(nodes.get(1).daemon.status().health().orElse(null)).isNull();
        assertThat(statesAre("MASTER", "BACKUP")).isTrue();
    }

    @Test
    void withEveryNodeUnhealthyOneNodeStillHoldsTheVip() throws Exception {
        start(node(1, 0), node(2, 50), node(3, 100));
        await(() -> statesAre("MASTER", "BACKUP", "BACKUP"));

        for (Node n : nodes) {
            n.daemon.setHealth(false, "failing: connection refused");
        }

        await(() -> nodes.stream().allMatch(n -> n.daemon.status().advskew() == 240));
        await(() -> holders().size() == 1);
        Thread.sleep(500);
        assertThat(holders()).hasSize(1);
    }

    @Test
    void aRecoveredNodeDoesNotTakeTheVipBackWithoutPreempt() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));
        nodes.get(0).daemon.setHealthy(false);
        await(() -> statesAre("BACKUP", "MASTER"));

        nodes.get(0).daemon.setHealthy(true);

        await(() -> nodes.get(0).daemon.status().advskew() != 240);
        Thread.sleep(500);
        assertThat(statesAre("BACKUP", "MASTER")).isTrue();
    }

    @Test
    void aRecoveredNodeWithPreemptTakesTheVipBack() throws Exception {
        start(node(1, 0).preempt(), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));
        nodes.get(0).daemon.setHealthy(false);
        await(() -> statesAre("BACKUP", "MASTER"));

        nodes.get(0).daemon.setHealthy(true);

        await(() -> statesAre("MASTER", "BACKUP"));
        assertThat(holders()).containsExactly("10.200.0.11");
    }

    @Test
    void aBackupWhoseLoopStalledPastItsDeadlineReadsTheWaitingAdvertsInsteadOfTakingOver() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));
        Node backup = nodes.get(1);
        long before = backup.daemon.status().transitions();

        // The backup's loop blocks in its next VIP check, far longer than its master-down interval,
        // while the master's adverts keep arriving (a starved CPU, a long GC pause).
        backup.stall.close();
        assertThat(backup.stall.awaitStalled(PATIENCE)).isTrue();
        Thread.sleep(1000);
        backup.stall.open();
        Thread.sleep(500);

        assertThat(backup.daemon.status().transitions()).isEqualTo(before);
        assertThat(statesAre("MASTER", "BACKUP")).isTrue();
    }

    @Test
    void aBackupWhoseLoopStalledDuringAFloodReadsPastTheFloodToTheMastersAdverts() throws Exception {
        start(node(1, 0), node(2, 100));
        await(() -> statesAre("MASTER", "BACKUP"));
        Node backup = nodes.get(1);
        long before = backup.daemon.status().transitions();
        CarpSender wrong = new CarpSender(ip("10.200.0.99"), ip("224.0.0.18"), false, VipAddresses.of(VIP),
                new CarpHmac(CarpPassword.of("wrongpw")));

        // The backup's loop is held off while 1,000 invalid adverts queue up ahead of the master's next ones
        // (issue 16: a flood made the fast profile flap).
        backup.stall.close();
        assertThat(backup.stall.awaitStalled(PATIENCE)).isTrue();
        for (int i = 0; i < 1000; i++) {
            backup.link.inject(CarpCodec.encode(wrong, new Advert(7, 0, 1, i), 1234));
        }
        Thread.sleep(1000);
        backup.stall.open();
        await(() -> backup.daemon.status().counters().rejected().getOrDefault("BAD_DIGEST", 0L) >= 1000);

        assertThat(backup.daemon.status().transitions()).isEqualTo(before);
        assertThat(statesAre("MASTER", "BACKUP")).isTrue();
    }

    // ---- fixture -------------------------------------------------------------------------------

    @Test
    void aMasterWakesOncePerAdvertAndItsHousekeepingRidesOnIt() throws Exception {
        // A virtual clock driven by hand, each wake-up 1 or 3 ms late: the housekeeping period restarts from each
        // late run while the adverts keep their cadence, so the two would drift apart into two wake-ups a second.
        long[] clock = {1_000_000_000L};
        Inet4Address srcip = ip("10.200.0.11");
        FakeLink link = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:11"), srcip);
        RecordingVipManager vips = new RecordingVipManager("eth0", Cidr.of(srcip, 24));
        GroupConfig c = group(KarpConfig.builder().interfaceName("eth0").srcip(srcip).vhid(7)
                .password(CarpPassword.of("s3cret")).vip(VIP, 24).advbase(1).advskew(0).statusAddress(null).build());
        try (ScriptRunner runner = new ScriptRunner(Duration.ofSeconds(5))) {
            Daemon d = new Daemon(c, link, vips, c.scripts(runner), () -> clock[0], Clock.systemUTC(),
                    new SplittableRandom(1), change -> { });
            d.start();
            List<Long> wakes = new ArrayList<>();
            boolean removedByHand = false;
            for (int i = 0; i < 40 && wakes.size() < 12; i++) {
                while (d.step()) {
                    // all that is due now
                }
                if (d.state() == dev.karp.election.State.MASTER) {
                    wakes.add(d.wakeNanos());
                    if (wakes.size() == 6 && !removedByHand) {
                        vips.remove(VIP24);
                        removedByHand = true;
                    }
                }
                assertThat(d.due(clock[0])).isFalse();
                clock[0] = d.wakeNanos() + (i % 2 == 0 ? 3_000_000L : 1_000_000L);
                assertThat(d.due(clock[0])).isTrue();
            }
            assertThat(wakes).hasSize(12);
            for (int i = 1; i < wakes.size(); i++) {
                assertThat(wakes.get(i) - wakes.get(i - 1)).as("wake-up %d after the previous", i)
                        .isEqualTo(Duration.ofSeconds(1).toNanos());
            }
            // The VIP removed by hand came back on an advert's wake-up: the housekeeping ran there.
            assertThat(vips.list()).contains(VIP24);
            assertThat(vips.calls().get(vips.calls().size() - 1)).startsWith("add ");
        }
    }

    private Node node(int n, int advskew) {
        return new Node(n, advskew);
    }

    private void start(Node... started) throws InterruptedException {
        for (Node n : started) {
            n.start();
            nodes.add(n);
        }
    }

    private List<String> holders() {
        return nodes.stream().filter(n -> n.vips.list().contains(VIP24)).map(n -> n.srcip.getHostAddress())
                .collect(Collectors.toList());
    }

    private boolean statesAre(String... states) {
        for (int i = 0; i < states.length; i++) {
            if (!nodes.get(i).daemon.status().state().name().equals(states[i])) {
                return false;
            }
        }
        return true;
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("condition not met within " + PATIENCE + "; states "
                        + nodes.stream().map(n -> n.daemon.status().state()).collect(Collectors.toList())
                        + ", holders " + holders() + ", errors " + nodes.stream().map(n -> n.error.get())
                        .collect(Collectors.toList()));
            }
            Thread.sleep(10);
        }
    }

    private final class Node {
        final Inet4Address srcip;
        final FakeLink link;
        final RecordingVipManager vips;
        final Stall stall = new Stall();
        final ScriptRunner runner = new ScriptRunner(Duration.ofSeconds(5));
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final KarpConfig.Builder config;
        Daemon daemon;
        Thread thread;

        Node(int n, int advskew) {
            srcip = ip("10.200.0.1" + n);
            link = segment.attach("eth0", MacAddress.parse("02:00:00:00:00:1" + n), srcip);
            vips = new RecordingVipManager("eth0", Cidr.of(srcip, 24));
            // advbase 0: an advert every (26 + skew)/256 s, so a master is declared down in well under a second.
            config = KarpConfig.builder().interfaceName("eth0").srcip(srcip).vhid(7).password(CarpPassword.of("s3cret"))
                    .vip(VIP, 24).advbase(0).advskew(26 + advskew / 4).statusAddress(null);
        }

        Node preempt() {
            config.preempt(true);
            return this;
        }

        Node neutral() {
            config.neutral(true);
            return this;
        }

        Node auth(AuthMode mode) {
            config.auth(mode);
            return this;
        }

        void start() {
            GroupConfig c = group(config.build());
            daemon = new Daemon(c, link, stall.wrap(vips), c.scripts(runner), System::nanoTime, Clock.systemUTC(),
                    new SplittableRandom(srcip.hashCode()), change -> { });
            thread = new Thread(() -> {
                try {
                    daemon.run();
                } catch (Throwable t) {
                    error.set(t);
                }
            }, "daemon-" + srcip.getHostAddress());
            thread.setDaemon(true);
            thread.start();
        }
    }

    static GroupConfig group(KarpConfig c) {
        return new GroupConfig(c.interfaceName(), c.srcip().orElseThrow(), c.vhid(), c.password(), Cidr.of(c.vip(), c.vipPrefix()),
                c.advbase(), c.advskew(), c.deadratio(), c.preempt(), c.neutral(), c.ignoreifstate(), c.nomcast(),
                c.mcastip(), c.debug(), c.garpCount(), c.upscript(), c.downscript(), c.xparam()).withAuth(c.auth());
    }

    /** Blocks the daemon's loop in its next VIP check (housekeeping) while closed. */
    private static final class Stall {
        private volatile CountDownLatch gate;
        private final CountDownLatch stalled = new CountDownLatch(1);

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        boolean awaitStalled(Duration limit) throws InterruptedException {
            return stalled.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        VipManager wrap(RecordingVipManager vips) {
            return new VipManager() {
                @Override
                public String interfaceName() {
                    return vips.interfaceName();
                }

                @Override
                public boolean add(Cidr vip, java.util.Optional<Duration> lifetime) throws VipException {
                    return vips.add(vip, lifetime);
                }

                @Override
                public void renew(Cidr vip, Duration lifetime) throws VipException {
                    vips.renew(vip, lifetime);
                }

                @Override
                public boolean remove(Cidr vip) throws VipException {
                    return vips.remove(vip);
                }

                @Override
                public List<Cidr> list() throws VipException {
                    CountDownLatch g = gate;
                    if (g != null) {
                        stalled.countDown();
                        try {
                            g.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return vips.list();
                }

                @Override
                public void close() {
                    vips.close();
                }
            };
        }
    }

    private static Inet4Address ip(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
