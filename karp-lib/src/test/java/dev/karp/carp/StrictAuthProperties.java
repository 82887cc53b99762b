package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Strict authentication over all field values: round trip, no cross-mode verification, every covered bit counts. */
class StrictAuthProperties {
    static final int CARP = 34;

    @Provide
    Arbitrary<Inet4Address> sources() {
        // Any unicast source but our own (10.200.0.12), whose adverts the filter drops first.
        return Arbitraries.integers().map(Carp::ipv4).filter(a -> !a.equals(Vectors.NODE_B));
    }

    static AdvertFilter filter(AuthMode mode) {
        // A clock at 0: no first advert is stale, whatever its counter.
        return new AdvertFilter(new AdvertFilter.Config(Set.of(Vectors.NODE_B), 7, Set.of(Carp.DEFAULT_GROUP),
                Vectors.VIPS, Frames.S3CRET, mode), new DropCounters(),
                new ReplayWindow(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0));
    }

    static byte[] advert(AuthMode mode, Inet4Address source, int advbase, int advskew, long counter) {
        return CarpCodec.encode(Frames.sender(source).withAuth(mode), new Advert(7, advbase, advskew, counter), 1);
    }

    @Property
    void eachModesAdvertVerifiesWhereTheMigrationNeedsItAndNowhereElse(
            @ForAll("sources") Inet4Address source,
            @ForAll @IntRange(min = 0, max = 255) int advbase,
            @ForAll @IntRange(min = 0, max = 255) int advskew,
            @ForAll long counter) {
        byte[] ucarp = advert(AuthMode.UCARP, source, advbase, advskew, counter);
        byte[] migrate = advert(AuthMode.MIGRATE, source, advbase, advskew, counter);
        byte[] strict = advert(AuthMode.STRICT, source, advbase, advskew, counter);

        assertThat(filter(AuthMode.UCARP).check(ByteBuffer.wrap(ucarp))).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        assertThat(filter(AuthMode.UCARP).check(ByteBuffer.wrap(migrate))).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        assertThat(filter(AuthMode.UCARP).check(ByteBuffer.wrap(strict))).isInstanceOf(AdvertChain.Verdict.Dropped.class);
        assertThat(filter(AuthMode.STRICT).check(ByteBuffer.wrap(ucarp))).isInstanceOf(AdvertChain.Verdict.Dropped.class);
        assertThat(filter(AuthMode.STRICT).check(ByteBuffer.wrap(migrate))).isEqualTo(new AdvertChain.Verdict.Accepted(
                (Decoded.CarpFrame) CarpCodec.decode(migrate), true));
        assertThat(filter(AuthMode.STRICT).check(ByteBuffer.wrap(strict))).isEqualTo(new AdvertChain.Verdict.Accepted(
                (Decoded.CarpFrame) CarpCodec.decode(strict), true));
        for (byte[] f : new byte[][] {ucarp, migrate, strict}) {
            assertThat(filter(AuthMode.MIGRATE).check(ByteBuffer.wrap(f))).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        }
    }

    @Property
    void anyChangedBitOfWhatTheStrictDigestCoversIsNeverAccepted(
            @ForAll("sources") Inet4Address source,
            @ForAll @IntRange(min = 0, max = 255) int advskew,
            @ForAll long counter,
            @ForAll @IntRange(min = 0, max = 8 * (6 + 8 + 4) - 1) int bit,
            @ForAll boolean migrate) {
        byte[] frame = advert(migrate ? AuthMode.MIGRATE : AuthMode.STRICT, source, 1, advskew, counter);
        // CARP bytes 0..5, the counter (8..15), the IPv4 source: each with the checksums fixed, as a forger would.
        int index = bit / 8;
        int offset = index < 6 ? CARP + index : index < 14 ? CARP + 8 + index - 6 : 14 + 12 + index - 14;
        frame[offset] ^= (byte) (1 << (bit % 8));
        byte[] forged = Frames.fixChecksums(frame);

        AdvertChain.Verdict v = filter(AuthMode.STRICT).check(ByteBuffer.wrap(forged));

        assertThat(v).isInstanceOf(AdvertChain.Verdict.Dropped.class);
    }
}
