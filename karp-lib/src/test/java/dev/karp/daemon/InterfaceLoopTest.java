package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.CarpPassword;
import dev.karp.carp.MacAddress;
import dev.karp.config.KarpConfig;
import dev.karp.link.Link;
import dev.karp.link.LinkState;
import dev.karp.link.ReceivedFrame;
import dev.karp.net.Cidr;
import dev.karp.scripts.ScriptRunner;
import dev.karp.vip.RecordingVipManager;
import dev.karp.vip.VipManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Several groups on one interface loop, alone on a virtual clock: the link's receive moves the time to the loop's
 * next deadline and each send takes a few milliseconds of it, so that the groups' takeovers, and with them their
 * advert schedules, spread over a fraction of a second as they do on a real host.
 */
class InterfaceLoopTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final int GROUPS = 20;
    private static final long SEND_COST = 3 * MS;
    private static final long RUN_FOR = 12 * SECOND;
    /** From here on the schedules have settled (takeover at 3 s, a few seconds of coalescing). */
    private static final long STEADY_FROM = 7 * SECOND;

    @Test
    void mastersOfOneInterfaceShareWakeUpsAndEachStillAdvertisesEverySecond() throws Exception {
        VirtualLink link = new VirtualLink();
        InterfaceLoop loop = loop(link);

        loop.run();

        Map<Integer, List<Long>> adverts = link.advertTimes();
        assertThat(adverts).hasSize(GROUPS);
        for (Map.Entry<Integer, List<Long>> e : adverts.entrySet()) {
            List<Long> times = e.getValue().stream().filter(t -> t >= STEADY_FROM && t < RUN_FOR).toList();
            assertThat(times).as("vhid %d", e.getKey()).hasSizeGreaterThanOrEqualTo(4);
            for (int i = 1; i < times.size(); i++) {
                long gap = times.get(i) - times.get(i - 1);
                // At most a fiftieth of the interval early (Election#advertEarlyNanos), never late here.
                assertThat(gap).as("vhid %d, gap %d", e.getKey(), i).isBetween(SECOND - 20 * MS, SECOND + 2 * MS);
            }
        }
        // Without coalescing every group wakes the loop once a second for its advert (20 wake-ups a second).
        long steadySeconds = (RUN_FOR - STEADY_FROM) / SECOND;
        assertThat(link.wakeUpsFrom(STEADY_FROM)).isLessThanOrEqualTo(steadySeconds * GROUPS / 2);
    }

    private InterfaceLoop loop(VirtualLink link) throws UnknownHostException {
        Inet4Address srcip = ip("10.200.0.11");
        VipManager vips = InterfaceLoop.sharedVips(new RecordingVipManager("eth0", Cidr.of(srcip, 24)), GROUPS,
                link::now);
        List<Daemon> groups = new ArrayList<>();
        ScriptRunner runner = new ScriptRunner(Duration.ofSeconds(1));
        for (int g = 1; g <= GROUPS; g++) {
            KarpConfig c = KarpConfig.builder().interfaceName("eth0").srcip(srcip).vhid(g)
                    .password(CarpPassword.of("s3cret")).vip(ip("10.200.0." + (100 + g)), 24).advbase(1).advskew(0)
                    .statusAddress(null).build();
            GroupConfig gc = DaemonTest.group(c);
            groups.add(new Daemon(gc, link, vips, gc.scripts(runner), link::now, Clock.systemUTC(),
                    new SplittableRandom(g), change -> { }));
        }
        InterfaceLoop loop = new InterfaceLoop(link, groups, link::now);
        link.onTimeUp = loop::requestShutdown;
        return loop;
    }

    private static Inet4Address ip(String dotted) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(dotted);
    }

    /** One host alone on its segment: nothing arrives, time passes only in receive and send. */
    private static final class VirtualLink implements Link {
        private long now = 1_000 * SECOND;
        private final long end = now + RUN_FOR;
        private final long start = now;
        private final List<long[]> sent = new ArrayList<>();
        private final List<Long> wakeUps = new ArrayList<>();
        private Runnable onTimeUp;
        private boolean stopping;
        private int receives;

        long now() {
            return now;
        }

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
            sent.add(new long[] {now - start, InterfaceLoop.vhid(ByteBuffer.wrap(frame))});
            now += SEND_COST;
        }

        @Override
        public Optional<ReceivedFrame> receive(Duration timeout) {
            if (++receives > 1_000_000) {
                throw new AssertionError("the loop does not settle: " + receives + " receives");
            }
            if (timeout.isZero()) {
                return Optional.empty();
            }
            now += timeout.toNanos();
            wakeUps.add(now - start);
            if (!stopping && now - end >= 0) {
                stopping = true;
                onTimeUp.run();
            }
            return Optional.empty();
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

        /** The times each vhid's adverts went out (GARPs have no vhid), relative to the start. */
        Map<Integer, List<Long>> advertTimes() {
            Map<Integer, List<Long>> out = new HashMap<>();
            for (long[] s : sent) {
                if (s[1] >= 0) {
                    out.computeIfAbsent((int) s[1], k -> new ArrayList<>()).add(s[0]);
                }
            }
            return out;
        }

        long wakeUpsFrom(long from) {
            return wakeUps.stream().filter(t -> t >= from && t < RUN_FOR).count();
        }
    }
}
