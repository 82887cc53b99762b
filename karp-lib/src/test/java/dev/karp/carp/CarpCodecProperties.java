package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the codec and the filter over all field values. */
class CarpCodecProperties {

    @Provide
    Arbitrary<Inet4Address> addresses() {
        return Arbitraries.integers().map(Carp::ipv4);
    }

    @Provide
    Arbitrary<CarpPassword> passwords() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(Carp.MAX_PASSWORD_BYTES).map(CarpPassword::ofBytes);
    }

    @Property
    void decodeOfEncodeGivesBackEveryEncodedField(
            @ForAll @IntRange(min = 1, max = 255) int vhid,
            @ForAll @IntRange(min = 0, max = 255) int advbase,
            @ForAll @IntRange(min = 0, max = 255) int advskew,
            @ForAll long counter,
            @ForAll @IntRange(min = 0, max = 0xffff) int ipId,
            @ForAll("addresses") Inet4Address source,
            @ForAll("addresses") Inet4Address group,
            @ForAll boolean nomcast,
            @ForAll("addresses") Inet4Address vip,
            @ForAll("passwords") CarpPassword password) {
        // given
        CarpHmac hmac = new CarpHmac(password);
        CarpSender sender = new CarpSender(source, group, nomcast, VipAddresses.of(vip), hmac);

        // when
        byte[] frame = CarpCodec.encode(sender, new Advert(vhid, advbase, advskew, counter), ipId);
        Decoded decoded = CarpCodec.decode(frame);

        // then
        assertThat(frame).hasSize(Carp.FRAME_LEN);
        assertThat(decoded).isInstanceOf(Decoded.CarpFrame.class);
        Decoded.CarpFrame f = (Decoded.CarpFrame) decoded;
        assertThat(f.checksumsOk()).isTrue();
        CarpPacket expected = new CarpPacket(Carp.virtualMac(vhid), Carp.destinationMac(group, nomcast), source, group,
                0x10, ipId, true, 255, f.packet().ipChecksum(), 2, 1, vhid, advskew, 7, 0, advbase,
                f.packet().carpChecksum(), counter, hmac.digest(vhid, VipAddresses.of(vip), counter));
        assertThat(f.packet()).isEqualTo(expected);
    }

    @Property
    void anyFlippedDigestBitIsABadDigest(
            @ForAll @IntRange(min = 0, max = 159) int bit,
            @ForAll long counter,
            @ForAll("passwords") CarpPassword password) {
        // given: a valid advert whose digest has one bit flipped, with the CARP checksum fixed so
        // that only the HMAC can catch it
        CarpHmac hmac = new CarpHmac(password);
        CarpSender sender = new CarpSender(Vectors.NODE_A, Carp.DEFAULT_GROUP, false, Vectors.VIPS, hmac);
        byte[] frame = CarpCodec.encode(sender, new Advert(7, 1, 0, counter), 1);
        frame[34 + 16 + bit / 8] ^= (byte) (1 << (bit % 8));
        frame = Frames.fixChecksums(frame);
        AdvertFilter filter = new AdvertFilter(
                new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, hmac), new DropCounters());

        // when
        AdvertChain.Verdict v = filter.check(ByteBuffer.wrap(frame));

        // then
        assertThat(v).isInstanceOf(AdvertChain.Verdict.Dropped.class);
        assertThat(((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.BAD_DIGEST);
    }

    @Property
    void anyFlippedCounterBitIsABadDigest(@ForAll @IntRange(min = 0, max = 63) int bit, @ForAll long counter) {
        byte[] frame = CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 0, counter), 1);
        frame[34 + 8 + bit / 8] ^= (byte) (1 << (bit % 8));
        frame = Frames.fixChecksums(frame);
        AdvertFilter filter = new AdvertFilter(
                new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, Frames.S3CRET), new DropCounters());

        assertThat(filter.check(ByteBuffer.wrap(frame)))
                .satisfies(AdvertFilterTest.dropped(DropReason.BAD_DIGEST,
                        "vhid 7: dropped advert from 10.200.0.11: bad HMAC; check --pass, --vhid and --addr on both nodes"));
    }

    /** ucarp-spec §7.4: advbase and advskew are outside the HMAC, so anyone can rewrite them. */
    @Property
    void advbaseAndAdvskewAreNotAuthenticated(
            @ForAll @IntRange(min = 0, max = 255) int advbase, @ForAll @IntRange(min = 0, max = 255) int advskew) {
        byte[] frame = Frames.advert(Vectors.NODE_A);
        frame[34 + Carp.OFF_ADVSKEW] = (byte) advskew;
        frame[34 + Carp.OFF_ADVBASE] = (byte) advbase;
        frame = Frames.fixChecksums(frame);
        AdvertFilter filter = new AdvertFilter(
                new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, Frames.S3CRET), new DropCounters());

        assertThat(filter.check(ByteBuffer.wrap(frame))).isInstanceOf(AdvertChain.Verdict.Accepted.class);
    }

    @Property
    void theAcceptedPacketIsTheDecodedPacket(@ForAll long counter, @ForAll @IntRange(min = 0, max = 255) int advskew) {
        byte[] frame = CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, advskew, counter), 9);
        AdvertFilter filter = new AdvertFilter(
                new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, Frames.S3CRET), new DropCounters());

        assertThat(filter.check(ByteBuffer.wrap(frame)))
                .isEqualTo(new AdvertChain.Verdict.Accepted((Decoded.CarpFrame) CarpCodec.decode(frame)));
    }
}
