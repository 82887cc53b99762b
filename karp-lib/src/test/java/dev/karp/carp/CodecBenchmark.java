package dev.karp.carp;

import dev.karp.net.IpAddresses;
import dev.karp.testing.Vectors;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Codec throughput on one thread, in packets per second. Not a test: run it with
 * {@code mvn -B -pl karp-lib -Pbench test-compile exec:exec@codec-benchmark} (see
 * docs/benchmarks.md). Each case warms up, then runs {@value #ROUNDS} timed rounds and prints the
 * median with the lowest and highest round.
 *
 * <p>Seconds per round: {@code -Dkarp.bench.seconds=1.0}.
 */
public final class CodecBenchmark {
    static final int ROUNDS = 7;

    private CodecBenchmark() {
    }

    public static void main(String[] args) {
        double seconds = Double.parseDouble(System.getProperty("karp.bench.seconds", "1.0"));
        byte[] advert = Vectors.frame("02-failover-sigkill.pcap", 4).bytes();
        ByteBuffer advertBuffer = ByteBuffer.wrap(advert);
        CarpHmac hmac = new CarpHmac(Vectors.password());
        AdvertFilter filter = new AdvertFilter(
                new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, hmac), new DropCounters());
        CarpSender sender = new CarpSender(Vectors.NODE_A, Carp.DEFAULT_GROUP, false, Vectors.VIPS, hmac);
        byte[] out = new byte[Carp.FRAME_LEN];
        byte[] otherVhid = CarpCodec.encode(sender, new Advert(8, 1, 0, 1), 1);
        ByteBuffer otherVhidBuffer = ByteBuffer.wrap(otherVhid);
        // A dual-stack vhid (10.200.0.100, fd00:200::100): an IPv6 advert from fe80::11.
        VipAddresses dual = VipAddresses.of(Vectors.VIP, IpAddresses.parse("fd00:200::100").orElseThrow());
        InetAddress ownLinkLocal = IpAddresses.parse("fe80::12").orElseThrow();
        AdvertFilter dualFilter = new AdvertFilter(new AdvertFilter.Config(Set.of(Vectors.NODE_B, ownLinkLocal), 7,
                Set.of(Carp.DEFAULT_GROUP, Carp.DEFAULT_GROUP_IPV6), dual, hmac), new DropCounters());
        CarpSender ipv6Sender = new CarpSender(IpAddresses.parse("fe80::11").orElseThrow(), Destination.IPV6_GROUP, dual, hmac);
        ByteBuffer ipv6Buffer = ByteBuffer.wrap(CarpCodec.encode(ipv6Sender, new Advert(7, 1, 0, 1), 0));

        System.out.printf(Locale.ROOT, "karp codec benchmark: java %s, %s, %d rounds of %.1f s per case, one thread%n",
                Runtime.version(), System.getProperty("os.arch"), ROUNDS, seconds);
        run("decode (CarpCodec.decode, no HMAC)", seconds, i -> {
            Decoded d = CarpCodec.decode(advertBuffer);
            return d instanceof Decoded.CarpFrame c ? c.packet().advskew() + i : i;
        });
        run("decode+verify (AdvertFilter.check, accepted)", seconds, i -> {
            AdvertChain.Verdict v = filter.check(advertBuffer);
            return v instanceof AdvertChain.Verdict.Accepted a ? a.packet().vhid() + i : i;
        });
        run("decode+verify IPv6, dual-stack vhid", seconds, i -> {
            AdvertChain.Verdict v = dualFilter.check(ipv6Buffer);
            return v instanceof AdvertChain.Verdict.Accepted a ? a.packet().vhid() + i : i;
        });
        run("drop other vhid (AdvertFilter.check)", seconds, i -> {
            AdvertChain.Verdict v = filter.check(otherVhidBuffer);
            return v instanceof AdvertChain.Verdict.Dropped ? i + 1 : i;
        });
        run("encode into a reused array (with HMAC)", seconds, i -> {
            CarpCodec.encode(sender, new Advert(7, 1, 0, i), (int) i & 0xffff, out, 0);
            return out[69];
        });
        run("HMAC-SHA1 alone (CarpHmac.digest)", seconds, i -> {
            hmac.digest(7, Vectors.VIPS, i, out, 0);
            return out[3];
        });
    }

    /** Runs {@code op} on a counter; its result feeds a sum that is printed, so the JIT cannot drop the work. */
    private static void run(String name, double seconds, LongUnaryOperator op) {
        long sink = 0;
        long warmupEnd = System.nanoTime() + (long) (2 * seconds * 1e9);
        long i = 0;
        while (System.nanoTime() < warmupEnd) {
            for (int k = 0; k < 10_000; k++) {
                sink += op.applyAsLong(i++);
            }
        }
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            do {
                for (int k = 0; k < 10_000; k++) {
                    sink += op.applyAsLong(i++);
                }
                n += 10_000;
                now = System.nanoTime();
            } while (now < end);
            rates[r] = n / ((now - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%-46s %,12.0f packets/s (rounds: %,.0f .. %,.0f)  [sink %d]%n",
                name, rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1], sink & 0xff);
    }
}
