package dev.karp.link;

import dev.karp.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.net.IpAddresses;
import dev.karp.vip.NetlinkVipManager;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * Figures for docs/linux.md, printed, never asserted (machines are noisy). Run with
 * {@code mvn -B -pl karp-lib verify -Dtest=LinkBenchmarkTest -Dkarp.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("netns")
@Tag("benchmark")
@EnabledIfSystemProperty(named = "karp.bench", matches = "true")
@ExtendWith(NetnsSupport.class)
@Timeout(300)
class LinkBenchmarkTest {

    private static final int FRAMES = 2000;
    private static final int SLOW_FRAMES = 20;
    private static final int VIP_ROUNDS = 500;
    private static final int IP_ROUNDS = 50;

    @Test
    void printsDeliveryLatencyAndVipChangeTimes() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            NetnsThread ns1 = lab.thread(n1);
            NetnsThread ns2 = lab.thread(n2);
            List<String> report = new ArrayList<>();

            try (PcapLink sender = ns1.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n1))));
                    PcapLink receiver = ns2.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n2))))) {
                // 1. PcapLink to PcapLink, send() to receive() returning, one frame in flight.
                long[] oneWay = new long[FRAMES];
                for (int i = -200; i < FRAMES; i++) {
                    long t0 = System.nanoTime();
                    sender.send(TestFrames.carpAdvert());
                    Optional<ReceivedFrame> f = receiver.receive(Duration.ofSeconds(1));
                    assertThat(f).isPresent();
                    if (i >= 0) {
                        oneWay[i] = f.get().receivedNanos() - t0;
                    }
                }
                report.add(line("PcapLink send -> receive (immediate mode), " + FRAMES + " frames", oneWay));

                // 2. The same path read the way UCarp reads: libpcap without immediate mode.
                report.add(line("libpcap without immediate mode (UCarp's way), " + SLOW_FRAMES + " frames 50 ms apart",
                        withoutImmediateMode(ns2, sender)));
            }

            // 3. VIP add + remove through netlink, and through `ip addr` for comparison.
            try (NetlinkVipManager vips = ns1.call(() -> NetlinkVipManager.open("eth0"))) {
                Cidr vip = Cidr.parse(NetnsLab.VIP + "/24");
                long[] add = new long[VIP_ROUNDS];
                long[] remove = new long[VIP_ROUNDS];
                for (int i = 0; i < VIP_ROUNDS; i++) {
                    long t0 = System.nanoTime();
                    vips.add(vip);
                    long t1 = System.nanoTime();
                    vips.remove(vip);
                    add[i] = t1 - t0;
                    remove[i] = System.nanoTime() - t1;
                }
                report.add(line("NetlinkVipManager.add, " + VIP_ROUNDS + " times", add));
                report.add(line("NetlinkVipManager.remove, " + VIP_ROUNDS + " times", remove));
            }
            long[] ipAdd = new long[IP_ROUNDS];
            for (int i = 0; i < IP_ROUNDS; i++) {
                long t0 = System.nanoTime();
                ExecResult r = lab.exec(n1, "ip", "addr", "add", NetnsLab.VIP + "/24", "dev", "eth0");
                ipAdd[i] = System.nanoTime() - t0;
                assertThat(r.ok()).isTrue();
                lab.exec(n1, "ip", "addr", "del", NetnsLab.VIP + "/24", "dev", "eth0");
            }
            report.add(line("`ip netns exec NS ip addr add` from Java, " + IP_ROUNDS + " times", ipAdd));

            System.out.println();
            System.out.println("karp link benchmark (" + Runtime.getRuntime().availableProcessors() + " cpus, "
                    + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", Linux "
                    + System.getProperty("os.version") + ")");
            report.forEach(System.out::println);
        }
    }

    /** Sends frames tagged in their counter bytes and reads them with a non-immediate pcap handle. */
    private static long[] withoutImmediateMode(NetnsThread ns2, PcapLink sender) throws Exception {
        PcapHandle slow = ns2.call(() -> {
            PcapHandle h = new PcapHandle.Builder("eth0").snaplen(1500)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS).timeoutMillis(1000).build();
            h.setFilter(PcapLink.filter(PcapLink.Options.of("eth0", IpAddresses.parseIpv4("10.200.0.12"))), BpfCompileMode.OPTIMIZE);
            return h;
        });
        try (slow) {
            long[] sentAt = new long[SLOW_FRAMES];
            long[] latency = new long[SLOW_FRAMES];
            Future<?> reader = ns2.submit(() -> {
                for (int got = 0; got < SLOW_FRAMES; ) {
                    byte[] raw;
                    try {
                        raw = slow.getNextRawPacketEx();
                    } catch (java.util.concurrent.TimeoutException e) {
                        continue;
                    }
                    long now = System.nanoTime();
                    int i = ByteBuffer.wrap(raw, 42, 4).getInt();
                    latency[i] = now - sentAt[i];
                    got++;
                }
                return null;
            });
            for (int i = 0; i < SLOW_FRAMES; i++) {
                byte[] f = TestFrames.carpAdvert();
                ByteBuffer.wrap(f, 42, 4).putInt(i); // the counter's high word carries the index
                sentAt[i] = System.nanoTime();
                sender.send(f);
                Thread.sleep(50);
            }
            reader.get();
            return latency;
        }
    }

    private static String line(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("  %-75s p50 %9.3f ms  p99 %9.3f ms  max %9.3f ms", what, ms(s[s.length / 2]),
                ms(s[(int) Math.min(s.length - 1, Math.round(s.length * 0.99))]), ms(s[s.length - 1]));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static Inet4Address ip(LabHost h) {
        return IpAddresses.parseIpv4(h.address());
    }
}
