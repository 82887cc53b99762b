package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.karp.sniff.CapturedFrame;
import dev.karp.sniff.SniffAnalyzer;
import dev.karp.sniff.SniffConfig;
import dev.karp.sniff.SniffReport;
import dev.karp.testing.Vectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds mutated frames to {@link CarpCodec#decode} and {@link AdvertFilter#check}: neither may
 * throw, and each input must come out as a packet or a named rejection. Deterministic: the seed
 * is printed, and {@code -Dkarp.fuzz.seed=N -Dkarp.fuzz.iterations=M} replays or extends a run.
 */
class CodecFuzzTest {
    static final long DEFAULT_SEED = 0x6b61727066757a7aL;
    static final int DEFAULT_ITERATIONS = 1_000_000;
    /** Bytes that steer decoding: IHL nibbles, protocol 112, versions, authlen 7, TTL 255. */
    static final int[] INTERESTING = {0x00, 0xff, 0x07, 0x21, 0x31, 0x11, 0x70, 0x45, 0x46, 0x4f, 0x44, 0x40, 0x05, 0x01, 0x02, 0x08, 0x06};

    @Test
    void aMillionMutatedFramesNeverThrowAndAlwaysGetANamedOutcome() {
        // given
        long seed = Long.getLong("karp.fuzz.seed", DEFAULT_SEED);
        int iterations = Integer.getInteger("karp.fuzz.iterations", DEFAULT_ITERATIONS);
        System.out.printf("CodecFuzzTest: seed=%d iterations=%d (replay with -Dkarp.fuzz.seed=%d)%n", seed, iterations, seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> corpus = corpus();
        AdvertFilter filter = new AdvertFilter(
                new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, Frames.S3CRET), new DropCounters());
        AdvertFilter screening = new AdvertFilter(filter.config(), new DropCounters());
        int[] watched = {ByteBuffer.wrap(Vectors.VIP.getAddress()).getInt()};
        Map<String, Integer> decoded = new java.util.TreeMap<>();
        int[] rejected = new int[DropReason.values().length];
        int[] dropped = new int[DropReason.values().length];
        int accepted = 0;

        // when: plain checks in the loop; AssertJ per input would dominate the run time
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), random);
            try {
                Decoded d = CarpCodec.decode(ByteBuffer.wrap(input));
                if (d instanceof Decoded.Rejected r) {
                    if (r.message().isBlank()) {
                        throw new AssertionError("rejection without a message: " + r);
                    }
                    rejected[r.reason().ordinal()]++;
                } else {
                    decoded.merge(d.getClass().getSimpleName(), 1, Integer::sum);
                }
                AdvertChain.Verdict v = filter.check(ByteBuffer.wrap(input));
                // The daemon's allocation-free pass names the same reason, or none for an accepted advert.
                AdvertChain.Verdict lean = screening.checkLean(ByteBuffer.wrap(input), f -> true);
                DropReason screened = lean instanceof AdvertChain.Verdict.Dropped d1 ? d1.reason() : null;
                DropReason checkedReason = v instanceof AdvertChain.Verdict.Dropped d0 ? d0.reason() : null;
                if (screened != checkedReason) {
                    throw new AssertionError("screen says " + screened + ", check says " + checkedReason);
                }
                Optional<AddressClaim> claim = AddressClaim.of(ByteBuffer.wrap(input));
                int expectedMatch = claim.isEmpty() ? AddressClaim.NO_CLAIM
                        : claim.get().address().equals(Vectors.VIP) ? AddressClaim.WATCHED : AddressClaim.OTHER_ADDRESS;
                if (AddressClaim.match(ByteBuffer.wrap(input), watched, new long[0]) != expectedMatch) {
                    throw new AssertionError("AddressClaim.match disagrees with AddressClaim.of: " + claim);
                }
                if (v instanceof AdvertChain.Verdict.Dropped drop) {
                    if (!drop.message().startsWith("vhid 7: dropped ")) {
                        throw new AssertionError("drop message without its prefix: " + drop);
                    }
                    dropped[drop.reason().ordinal()]++;
                } else if (d instanceof Decoded.CarpFrame) {
                    accepted++;
                } else {
                    throw new AssertionError("accepted what decode calls " + d);
                }
            } catch (RuntimeException | AssertionError e) {
                fail("seed " + seed + ", iteration " + i + ", input " + HexFormat.of().formatHex(input), e);
            }
        }

        // then: the mutations reached every outcome, so the deep paths ran too
        Map<DropReason, Integer> rejectedBy = byReason(rejected);
        Map<DropReason, Integer> droppedBy = byReason(dropped);
        System.out.printf("CodecFuzzTest: decode %s, rejected %s; filter accepted=%d, dropped %s%n",
                decoded, rejectedBy, accepted, droppedBy);
        assertThat(decoded).containsKeys("CarpFrame", "VrrpFrame", "ArpFrame");
        // NOT_A_PEER is the daemon's check in unicast mode, after the chain; SPOOFED_SOURCE needs our sent adverts
        // (AdvertFilter.check with OwnAdverts): the chain gives neither. FORGED and REPLAYED come only with --auth
        // strict or migrate (StrictAuthTest); this filter authenticates as UCarp.
        assertThat(droppedBy).containsOnlyKeys(java.util.Arrays.stream(DropReason.values())
                .filter(r -> r != DropReason.NOT_A_PEER && r != DropReason.SPOOFED_SOURCE && r != DropReason.FORGED
                        && r != DropReason.REPLAYED).toList());
        assertThat(accepted).isPositive();
    }

    @Test
    void theSniffAnalyzerTakesMutatedCapturesWithoutThrowing() {
        // given: 10 captures of 5,000 mutated frames each, 0-200 ms apart
        long seed = Long.getLong("karp.fuzz.seed", DEFAULT_SEED);
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<byte[]> corpus = corpus();
        SniffConfig config = SniffConfig.withPassword(Vectors.password());

        for (int c = 0; c < 10; c++) {
            List<CapturedFrame> frames = new ArrayList<>();
            java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
            int adverts = 0;
            for (int i = 0; i < 5_000; i++) {
                byte[] f = mutate(corpus.get(random.nextInt(corpus.size())), random);
                Decoded d = CarpCodec.decode(f);
                if (d instanceof Decoded.CarpFrame || d instanceof Decoded.VrrpFrame) {
                    adverts++;
                }
                frames.add(new CapturedFrame(t, f));
                t = t.plusMillis(random.nextInt(200));
            }

            // when
            SniffReport report;
            try {
                report = SniffAnalyzer.analyze(config, frames);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", capture " + c, e);
            }

            // then
            assertThat(report.records()).hasSize(adverts);
            assertThat(report.summary().frames()).isEqualTo(5_000);
        }
    }

    static Map<DropReason, Integer> byReason(int[] counts) {
        Map<DropReason, Integer> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (counts[r.ordinal()] > 0) {
                m.put(r, counts[r.ordinal()]);
            }
        }
        return m;
    }

    static List<byte[]> corpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (String capture : Vectors.ALL) {
            for (CapturedFrame f : Vectors.frames(capture)) {
                corpus.add(f.bytes());
            }
        }
        corpus.add(VrrpRecognitionTest.VRRP_V2);
        corpus.add(VrrpRecognitionTest.VRRP_V3);
        corpus.add(VrrpRecognitionTest.VRRP_V2_FIVE_ADDRESSES);
        corpus.add(Frames.advert(Vectors.NODE_A));
        return corpus;
    }

    static byte[] mutate(byte[] original, SplittableRandom r) {
        byte[] f = original.clone();
        switch (r.nextInt(9)) {
            case 0 -> { // a few bit flips anywhere
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    int i = r.nextInt(f.length);
                    f[i] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> f = java.util.Arrays.copyOf(f, r.nextInt(f.length + 1)); // truncation
            case 2 -> { // extension with random bytes
                int old = f.length;
                f = java.util.Arrays.copyOf(f, old + 1 + r.nextInt(64));
                for (int i = old; i < f.length; i++) {
                    f[i] = (byte) r.nextInt(256);
                }
            }
            case 3 -> { // random bytes of random length
                f = new byte[r.nextInt(120)];
                r.nextBytes(f);
            }
            case 4 -> { // steering values at random places in the headers
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    f[r.nextInt(Math.min(f.length, 60))] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                }
            }
            case 5 -> { // bit flips in the CARP part with checksums fixed: reaches vhid, group, HMAC
                if (f.length >= 70) {
                    f[34 + 1 + r.nextInt(35)] ^= (byte) (1 << r.nextInt(8));
                    f = Frames.fixChecksums(f);
                }
            }
            case 6 -> { // bit flips in the IP header with checksums fixed: TTL, group, source, IHL
                if (f.length >= 70) {
                    f[14 + 1 + r.nextInt(19)] ^= (byte) (1 << r.nextInt(8));
                    f = Frames.fixChecksums(f, 20);
                }
            }
            case 7 -> { // an IP length or count field set to a random value
                if (f.length > 40) {
                    int at = r.nextBoolean() ? 17 : 37;
                    f[at] = (byte) r.nextInt(256);
                }
            }
            default -> { } // unchanged: the valid frames must keep passing
        }
        return f;
    }
}
