package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Advert;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.CarpSender;
import dev.karp.carp.GratuitousArp;
import dev.karp.carp.MacAddress;
import dev.karp.carp.VipAddresses;
import dev.karp.election.State;
import dev.karp.link.Link;
import dev.karp.link.LinkState;
import dev.karp.link.ReceivedFrame;
import dev.karp.net.Cidr;
import dev.karp.scripts.ScriptRunner;
import dev.karp.vip.RecordingVipManager;
import dev.karp.vip.VipException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One daemon on a virtual clock, stepped as {@link Daemon#run()} steps it, with an in-memory link and VIP manager
 * that log what happens in one list: the VIP lifetime and its renewal, what a master does after a freeze, the
 * takeover announcements' schedule and the rate limit of the extra ones, and the order of a bow-out.
 */
class DaemonLifetimeTest {
    private static final Inet4Address OWN = ip4("10.200.0.11");
    private static final Inet4Address PEER = ip4("10.200.0.12");
    private static final MacAddress STRANGER = MacAddress.parse("02:00:00:00:00:77");
    private static final Cidr VIP = Cidr.of(ip4("10.200.0.100"), 24);
    private static final Cidr VIP6 = Cidr.of(ip("fd00:200::100"), 64);
    private static final Inet6Address LINK_LOCAL = (Inet6Address) ip("fe80::11");
    private static final CarpPassword PASSWORD = CarpPassword.of("secret");
    private static final int VHID = 7;
    private static final long SECOND = 1_000_000_000L;

    private final ScriptRunner runner = new ScriptRunner(Duration.ofSeconds(1));
    private final List<String> log = new ArrayList<>();
    private final Deque<ReceivedFrame> inbox = new ArrayDeque<>();
    private final RecordingVipManager recorded = new RecordingVipManager("eth0", Cidr.of(OWN, 24));
    private long now = 1_000 * SECOND;
    private Daemon daemon;
    private List<InetAddress> groupVips;

    @AfterEach
    void close() {
        runner.close(Duration.ofSeconds(1));
    }

    @Test
    void theAutomaticLifetimeIsOneSecondBelowTheFirstBackupsMasterDownIntervalAtLeastTwo() {
        // advbase 1: a backup at advskew 0 takes over after 3 s; the VIP of a killed master is gone a second before.
        assertThat(VipLifetime.auto(1, 0, 3)).isEqualTo(Duration.ofSeconds(2));
        // advskew 100 advertises every 1.39 s: renewing at each advert needs 3 s.
        assertThat(VipLifetime.auto(1, 100, 3)).isEqualTo(Duration.ofSeconds(3));
        assertThat(VipLifetime.auto(3, 0, 3)).isEqualTo(Duration.ofSeconds(8));
        // Sub-second profile: the floor.
        assertThat(VipLifetime.auto(0, 50, 3)).isEqualTo(Duration.ofSeconds(2));
        // deadratio 1: never shorter than the advert interval + 1 s.
        assertThat(VipLifetime.auto(5, 0, 1)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aDemotedMasterRenewsWithALifetimeLongerThanItsSlowerAdvertInterval() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(2), 1, Duration.ofSeconds(1)));
        runFor(5);
        assertThat(recorded.lifetime(VIP)).contains(Duration.ofSeconds(2));

        // Alone and unhealthy: it bows out, then holds the VIP again with advskew 240 (an advert every 1.94 s).
        daemon.setHealthy(false);
        runFor(20);
        assertThat(daemon.state()).isEqualTo(State.MASTER);
        assertThat(recorded.lifetime(VIP)).contains(Duration.ofSeconds(3));
        int before = log.size();
        runFor(20);
        assertThat(daemon.state()).isEqualTo(State.MASTER);
        assertThat(log.subList(before, log.size())).noneMatch(e -> e.startsWith("vip remove") || e.equals("backup"));

        daemon.setHealthy(true);
        runFor(5);
        assertThat(recorded.lifetime(VIP)).contains(Duration.ofSeconds(2));
    }

    @Test
    void aMasterAddsTheVipsWithTheLifetimeAndRenewsThemSoTheyNeverLapse() throws Exception {
        start(config(List.of(VIP, VIP6), Duration.ofSeconds(3), 1, Duration.ofSeconds(1)));
        runFor(3.5);
        assertThat(daemon.state()).isEqualTo(State.MASTER);
        assertThat(recorded.calls()).contains("add " + VIP + " lifetime 3s", "add " + VIP6 + " lifetime 3s");

        runFor(30);

        assertThat(daemon.state()).isEqualTo(State.MASTER);
        assertThat(recorded.lifetime(VIP)).contains(Duration.ofSeconds(3));
        assertThat(recorded.lifetime(VIP6)).contains(Duration.ofSeconds(3));
        // Renewed at every advert: at least once a second for each VIP, nothing removed.
        assertThat(recorded.calls().stream().filter(c -> c.equals("renew " + VIP + " lifetime 3s")).count())
                .isGreaterThanOrEqualTo(29);
        assertThat(recorded.calls().stream().filter(c -> c.equals("renew " + VIP6 + " lifetime 3s")).count())
                .isGreaterThanOrEqualTo(29);
        assertThat(log.subList(log.indexOf("master"), log.size())).noneMatch(e -> e.startsWith("vip remove"));
        assertThat(longestGapBetweenRenewsSeconds()).isLessThanOrEqualTo(1.0 + 1e-6);
    }

    @Test
    void withoutALifetimeTheVipIsAddedForGoodAndNeverRenewed() throws Exception {
        start(config(List.of(VIP), null, 1, Duration.ofSeconds(1)));
        runFor(10);

        assertThat(daemon.state()).isEqualTo(State.MASTER);
        assertThat(recorded.calls()).contains("add " + VIP).noneMatch(c -> c.startsWith("renew"));
    }

    @Test
    void aVipFoundAtStartWithAFiniteLifetimeIsStillRemoved() throws Exception {
        recorded.putBehindTheBack(VIP);
        start(config(List.of(VIP), Duration.ofSeconds(3), 1, Duration.ofSeconds(1)));

        assertThat(recorded.calls()).first().isEqualTo("remove " + VIP);
    }

    @Test
    void aMasterFrozenLongerThanTheLifetimeRejoinsAsABackupAndFollowsTheNodeThatTookOver() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(3), 3, Duration.ofSeconds(1)));
        runFor(10);
        assertThat(daemon.state()).isEqualTo(State.MASTER);
        int before = log.size();

        // SIGSTOP for 8 s: the loop does nothing; meanwhile the peer (less preferred) took over and advertises.
        now += 8 * SECOND;
        inbox.add(advert(PEER, 1, 100, now - SECOND / 2));
        peerAdvertises(1, 100, 10);

        List<String> after = log.subList(before, log.size());
        assertThat(daemon.state()).isEqualTo(State.BACKUP);
        assertThat(daemon.status().master()).contains(PEER.getHostAddress());
        // No renew or add after the freeze, no announcement, no advert of its own: it does not fight.
        assertThat(after).noneMatch(e -> e.startsWith("vip add") || e.startsWith("vip renew") || e.equals("announce")
                || e.startsWith("advert"));
        assertThat(after).contains("vip remove " + VIP);
        assertThat(recorded.list()).doesNotContain(VIP);
    }

    @Test
    void aShortHiccupDoesNotDemoteTheMaster() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(3), 1, Duration.ofSeconds(1)));
        runFor(5);

        now += 1_500_000_000L;
        runFor(5);

        assertThat(daemon.state()).isEqualTo(State.MASTER);
        // Only the start-up cleanup removed anything.
        assertThat(recorded.calls().stream().filter(c -> c.startsWith("remove"))).containsExactly("remove " + VIP);
        assertThat(log).containsOnlyOnce("master");
    }

    @Test
    void aTakeoverAnnouncesGarpCountTimesSpacedByTheInterval() throws Exception {
        start(config(List.of(VIP, VIP6), Duration.ofSeconds(3), 3, Duration.ofSeconds(1)));
        runFor(3.051); // master-down, then the 50-ms claim
        assertThat(daemon.state()).isEqualTo(State.MASTER);
        long takeover = timeOf("master");

        runFor(10);

        // One announcement per VIP at takeover, +1 s and +2 s (UCarp's delayed GARP comes with the third).
        List<Long> arps = times("garp");
        List<Long> nas = times("na");
        assertThat(arps).startsWith(takeover, takeover + SECOND, takeover + 2 * SECOND);
        assertThat(nas).startsWith(takeover, takeover + SECOND, takeover + 2 * SECOND);
        assertThat(arps).allMatch(t -> t - takeover <= 2 * SECOND);
    }

    @Test
    void aZeroIntervalSendsTheAnnouncementsAtOnce() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(3), 3, Duration.ZERO));
        runFor(3.051); // master-down, then the 50-ms claim
        long takeover = timeOf("master");

        assertThat(times("garp")).containsExactly(takeover, takeover, takeover);
    }

    @Test
    void theSpacedAnnouncementsStopWhenTheNodeLeavesMaster() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(3), 5, Duration.ofSeconds(1)));
        runFor(3.051); // master-down, then the 50-ms claim
        long takeover = timeOf("master");

        // A preferred master appears half a second later: this node yields.
        runFor(0.5);
        peerAdvertises(0, 200, 10);

        assertThat(daemon.state()).isEqualTo(State.BACKUP);
        assertThat(times("garp")).containsExactly(takeover);
    }

    @Test
    void aFloodOfLessPreferredAdvertsGetsABurstOfAnnouncementsThenOnePerSecond() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(3), 1, Duration.ofSeconds(1)));
        runFor(10);
        assertThat(daemon.state()).isEqualTo(State.MASTER);
        int before = times("garp").size();

        // 10,000 forged worse adverts over 2 s.
        for (int i = 0; i < 10_000; i++) {
            now += 200_000L;
            inbox.add(advert(PEER, 1, 200, now));
            drain();
        }

        assertThat(daemon.state()).isEqualTo(State.MASTER);
        int sent = times("garp").size() - before;
        // The burst of three, then one per second of the flood.
        assertThat(sent).isBetween(3, 5);
        assertThat(daemon.announcementsSuppressed()).isGreaterThanOrEqualTo(9_995);
    }

    @Test
    void aMasterDefendsAClaimedVipOneAdvertIntervalLaterIfItStillHoldsIt() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(2), 1, Duration.ofSeconds(1)));
        runFor(5.2); // past the delayed GARP of the third advert (5.05 s)
        int before = times("garp").size();
        long claimed = now;

        inbox.add(new ReceivedFrame(GratuitousArp.frame(STRANGER, VIP.ipv4()), now));
        runFor(0.5);
        assertThat(times("garp")).hasSize(before);
        runFor(1);

        assertThat(times("garp").subList(before, times("garp").size())).containsExactly(claimed + SECOND);
        assertThat(daemon.status().alerts().vipConflicts()).isEqualTo(1);
    }

    @Test
    void aMasterThatYieldsWithinTheIntervalDoesNotDefend() throws Exception {
        start(config(List.of(VIP), Duration.ofSeconds(2), 1, Duration.ofSeconds(1)));
        runFor(5);
        int before = times("garp").size();

        // Two takeovers at once: the winner's announcement arrives, then its advert.
        inbox.add(new ReceivedFrame(GratuitousArp.frame(STRANGER, VIP.ipv4()), now));
        runFor(0.01);
        peerAdvertises(0, 200, 3);

        assertThat(daemon.state()).isEqualTo(State.BACKUP);
        assertThat(times("garp")).hasSize(before);
    }

    @Test
    void aShutdownRemovesTheVipsBeforeTheBowOutAdvertLeaves() throws Exception {
        start(config(List.of(VIP, VIP6), Duration.ofSeconds(3), 1, Duration.ofSeconds(1)));
        runFor(5);
        int before = log.size();

        daemon.requestShutdown();
        runFor(1);

        List<String> after = log.subList(before, log.size());
        assertThat(daemon.stopped()).isTrue();
        int bowOut = after.indexOf("advert 255/255");
        assertThat(bowOut).isPositive();
        assertThat(after.subList(0, bowOut)).contains("vip remove " + VIP, "vip remove " + VIP6);
    }

    // ---- harness ----

    private GroupConfig config(List<Cidr> vips, Duration lifetime, int garpCount, Duration garpInterval) {
        boolean v6 = vips.stream().anyMatch(c -> !c.isIpv4());
        return new GroupConfig("eth0", OWN, v6 ? Optional.of(LINK_LOCAL) : Optional.empty(), VHID, PASSWORD, vips, 1, 0,
                3, false, false, false, false, Carp.DEFAULT_GROUP, false, garpCount, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), garpInterval,
                Optional.ofNullable(lifetime));
    }

    private void start(GroupConfig config) throws Exception {
        groupVips = config.vips().stream().map(Cidr::address).toList();
        VipManagerLog vips = new VipManagerLog();
        daemon = new Daemon(config, new TestLink(), vips, config.scripts(runner), () -> now, Clock.systemUTC(),
                new SplittableRandom(1), change -> event(change.to() == dev.karp.FailoverState.MASTER ? "master"
                        : "backup"));
        daemon.start();
        drain();
    }

    /** Runs the loop for {@code seconds} of virtual time, waking exactly when the daemon asks to. */
    private void runFor(double seconds) throws Exception {
        long until = now + Math.round(seconds * SECOND);
        while (!daemon.stopped()) {
            drain();
            if (daemon.stopped()) {
                break;
            }
            long wake = daemon.wakeNanos();
            if (wake - until > 0) {
                break;
            }
            now = Math.max(now, wake);
            daemon.received(Optional.empty());
        }
        if (daemon.stopped()) {
            daemon.finish();
        }
        now = Math.max(now, until);
    }

    /** The peer advertises with these values every 0.5 s for {@code seconds}, while this node runs. */
    private void peerAdvertises(int advbase, int advskew, int seconds) throws Exception {
        for (int i = 0; i < 2 * seconds; i++) {
            inbox.add(advert(PEER, advbase, advskew, now));
            runFor(0.5);
        }
    }

    /** What is due now and every frame waiting. */
    private void drain() throws Exception {
        while (true) {
            while (daemon.step()) {
                // keep stepping
            }
            ReceivedFrame f = inbox.pollFirst();
            if (f == null) {
                return;
            }
            daemon.received(Optional.of(f));
        }
    }

    private final List<long[]> times = new ArrayList<>();
    private final List<String> timedEvents = new ArrayList<>();

    private void event(String e) {
        log.add(e);
        timedEvents.add(e);
        times.add(new long[] {now});
    }

    private List<Long> times(String kind) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < timedEvents.size(); i++) {
            if (timedEvents.get(i).equals(kind)) {
                out.add(times.get(i)[0]);
            }
        }
        return out;
    }

    private long timeOf(String kind) {
        List<Long> t = times(kind);
        assertThat(t).as(kind).isNotEmpty();
        return t.get(t.size() - 1);
    }

    private double longestGapBetweenRenewsSeconds() {
        List<Long> t = new ArrayList<>(times("vip add " + VIP));
        t.addAll(times("vip renew " + VIP));
        t.sort(Long::compare);
        long longest = 0;
        for (int i = 1; i < t.size(); i++) {
            longest = Math.max(longest, t.get(i) - t.get(i - 1));
        }
        return longest / 1e9;
    }

    private ReceivedFrame advert(Inet4Address from, int advbase, int advskew, long at) {
        CarpSender s = new CarpSender(from, Carp.DEFAULT_GROUP, false, VipAddresses.of(groupVips),
                new CarpHmac(PASSWORD));
        return new ReceivedFrame(CarpCodec.encode(s, new Advert(VHID, advbase, advskew, at), 1), at);
    }

    private final class VipManagerLog implements dev.karp.vip.VipManager {
        @Override
        public String interfaceName() {
            return "eth0";
        }

        @Override
        public boolean add(Cidr vip, Optional<Duration> lifetime) throws VipException {
            event("vip add " + vip);
            return recorded.add(vip, lifetime);
        }

        @Override
        public void renew(Cidr vip, Duration lifetime) throws VipException {
            event("vip renew " + vip);
            recorded.renew(vip, lifetime);
        }

        @Override
        public boolean remove(Cidr vip) throws VipException {
            event("vip remove " + vip);
            return recorded.remove(vip);
        }

        @Override
        public List<Cidr> list() {
            return recorded.list();
        }

        @Override
        public void close() {
        }
    }

    private final class TestLink implements Link {
        @Override
        public String name() {
            return "eth0";
        }

        @Override
        public int index() {
            return 2;
        }

        @Override
        public MacAddress mac() {
            return MacAddress.parse("02:00:00:00:00:11");
        }

        @Override
        public void send(byte[] frame) {
            int type = (frame[12] & 0xff) << 8 | frame[13] & 0xff;
            if (type == 0x0806) {
                // Gratuitous when sender and target address agree; a backup's VIP probe asks for others.
                boolean gratuitous = java.util.Arrays.equals(frame, 28, 32, frame, 38, 42);
                event(gratuitous ? "garp" : "arp request");
            } else if (type == 0x86dd && frame[14 + 6] == 58) {
                event("na");
            } else {
                int carp = type == 0x86dd ? 14 + 40 : 14 + (frame[14] & 0x0f) * 4;
                event("advert " + (frame[carp + 5] & 0xff) + "/" + (frame[carp + 2] & 0xff)
                        + (type == 0x86dd ? " v6" : ""));
            }
        }

        @Override
        public Optional<ReceivedFrame> receive(Duration timeout) {
            return Optional.ofNullable(inbox.pollFirst());
        }

        @Override
        public void wakeup() {
        }

        @Override
        public LinkState state() {
            return LinkState.UP;
        }

        @Override
        public void close() {
        }
    }

    private static Inet4Address ip4(String text) {
        return (Inet4Address) ip(text);
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
