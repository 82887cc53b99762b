package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import dev.karp.testing.VrrpFrames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CARP and VRRP share IP protocol 112 and group 224.0.0.18, and CARP and VRRPv2 both start with
 * 0x21. The VRRP frames are written by hand in {@link VrrpFrames}, with one comment per field.
 */
class VrrpRecognitionTest {

    static final byte[] VRRP_V3 = VrrpFrames.V3;
    static final byte[] VRRP_V2 = VrrpFrames.V2;
    static final byte[] VRRP_V2_FIVE_ADDRESSES = VrrpFrames.V2_FIVE_ADDRESSES;

    @Test
    void aVrrpV3AdvertIsDecodedAsVrrp() {
        // when
        Decoded d = CarpCodec.decode(VRRP_V3);

        // then
        assertThat(d).isInstanceOf(Decoded.VrrpFrame.class);
        Decoded.VrrpFrame v = (Decoded.VrrpFrame) d;
        assertThat(v.vrrpChecksumOk()).isTrue();
        assertThat(v.ipChecksumOk()).isTrue();
        VrrpPacket p = v.packet();
        assertThat(p.version()).isEqualTo(3);
        assertThat(p.type()).isEqualTo(1);
        assertThat(p.vrid()).isEqualTo(7);
        assertThat(p.priority()).isEqualTo(100);
        assertThat(p.addressCount()).isEqualTo(1);
        assertThat(p.intervalRaw()).isEqualTo(100);
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.checksum()).isEqualTo(0x740b);
        assertThat(p.addresses()).containsExactly(Vectors.VIP);
        assertThat(p.authData()).isEmpty();
        assertThat(p.ipSrc()).isEqualTo(Carp.ipv4(10, 200, 0, 5));
        assertThat(p.ttl()).isEqualTo(255);
    }

    @Test
    void aVrrpV2AdvertIsDecodedAsVrrpAlthoughItStartsLikeCarp() {
        // when
        Decoded d = CarpCodec.decode(VRRP_V2);

        // then
        assertThat(d).isInstanceOf(Decoded.VrrpFrame.class);
        VrrpPacket p = ((Decoded.VrrpFrame) d).packet();
        assertThat(((Decoded.VrrpFrame) d).vrrpChecksumOk()).isTrue();
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.vrid()).isEqualTo(7);
        assertThat(p.priority()).isEqualTo(100);
        assertThat(p.authType()).isZero();
        assertThat(p.intervalRaw()).isEqualTo(1);
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.checksum()).isEqualTo(0x6fca);
        assertThat(p.addresses()).containsExactly(Vectors.VIP);
        assertThat(p.authData()).hasSize(8);
    }

    @Test
    void aVrrpV2AdvertAsLongAsACarpHeaderIsStillVrrp() {
        Decoded d = CarpCodec.decode(VRRP_V2_FIVE_ADDRESSES);

        assertThat(d).isInstanceOf(Decoded.VrrpFrame.class);
        assertThat(((Decoded.VrrpFrame) d).packet().addresses()).hasSize(5)
                .last().isEqualTo(Carp.ipv4(10, 200, 0, 104));
    }

    @Test
    void aVrrpAdvertWithABadChecksumIsStillVrrpWithTheChecksumMarkedBad() {
        // given
        byte[] damaged = Frames.with(VRRP_V3, 36, 0x63); // priority 99, checksum not fixed

        // when
        Decoded d = CarpCodec.decode(damaged);

        // then
        assertThat(d).isInstanceOf(Decoded.VrrpFrame.class);
        assertThat(((Decoded.VrrpFrame) d).vrrpChecksumOk()).isFalse();
        assertThat(((Decoded.VrrpFrame) d).packet().priority()).isEqualTo(99);
    }

    @Test
    void aDamagedVrrpV2AdvertIsStillVrrp() {
        Decoded d = CarpCodec.decode(Frames.with(VRRP_V2, 36, 0x63));

        assertThat(d).isInstanceOf(Decoded.VrrpFrame.class);
        assertThat(((Decoded.VrrpFrame) d).vrrpChecksumOk()).isFalse();
    }

    @Test
    void aVrrpV3ChecksumWithoutThePseudoHeaderIsBad() {
        // given: the checksum computed as in VRRPv2, over the VRRP bytes only
        byte[] f = VRRP_V3.clone();
        f[40] = 0;
        f[41] = 0;
        int c = InetChecksum.checksum(f, 34, 12);
        f[40] = (byte) (c >>> 8);
        f[41] = (byte) c;

        // then
        assertThat(CarpCodec.decode(f)).isInstanceOf(Decoded.VrrpFrame.class)
                .extracting(d -> ((Decoded.VrrpFrame) d).vrrpChecksumOk()).isEqualTo(false);
    }

    @Test
    void noCarpFrameOfAnyCaptureIsTakenForVrrp() {
        for (String capture : Vectors.ALL) {
            for (var f : CarpCodecGoldenTest.carpFrames(capture)) {
                assertThat(CarpCodec.decode(f.buffer())).as(capture).isInstanceOf(Decoded.CarpFrame.class);
            }
        }
    }

    @Test
    void aCarpAdvertWithBothChecksumsBrokenIsStillCarp() {
        // given: 36-byte payload, authlen 7, CARP checksum wrong (capture 90's case)
        byte[] f = Frames.with(Frames.with(Frames.advert(Vectors.NODE_A), 36, 99), 25, 0);

        assertThat(CarpCodec.decode(f)).isInstanceOf(Decoded.CarpFrame.class);
    }

    @Test
    void aCarpHeaderWithVersion3IsABadCarpVersionNotVrrpV3() {
        // given: a CARP header whose version nibble is 3 and whose CARP checksum is valid; its
        // 36 bytes would fit a VRRPv3 advert with 7 addresses, but the VRRPv3 checksum is wrong
        byte[] f = Frames.fixChecksums(Frames.with(Frames.advert(Vectors.NODE_A), 34, 0x31));

        assertThat(CarpCodec.decode(f)).isEqualTo(new Decoded.Rejected(DropReason.BAD_VERSION, "bad CARP version 3 (expected: 2)"));
    }

    @Test
    void aShortProtocol112FrameThatIsNotConsistentVrrpIsABogusCarpSize() {
        // given: VRRPv3 whose count says 2 addresses but the IP length holds one
        byte[] f = Frames.with(VRRP_V3, 37, 2);

        assertThat(CarpCodec.decode(f)).isEqualTo(new Decoded.Rejected(DropReason.BOGUS_SIZE, "short frame: 60 bytes (expected: 70)"));
    }

    @Test
    void vrrpAdvertsHaveAOneLineForm() {
        VrrpPacket v3 = ((Decoded.VrrpFrame) CarpCodec.decode(VRRP_V3)).packet();
        VrrpPacket v2 = ((Decoded.VrrpFrame) CarpCodec.decode(VRRP_V2_FIVE_ADDRESSES)).packet();

        assertThat(AdvertFormat.line(v3, true))
                .isEqualTo("10.200.0.5 > 224.0.0.18 VRRPv3 vrid=7 priority=100 interval=1s addresses=10.200.0.100 ttl=255 sum=ok");
        assertThat(AdvertFormat.line(v2, false)).isEqualTo("10.200.0.5 > 224.0.0.18 VRRPv2 vrid=7 priority=100 interval=1s"
                + " addresses=10.200.0.100,10.200.0.101,10.200.0.102,10.200.0.103,10.200.0.104 ttl=255 sum=bad");
    }

    @Test
    void theVrrpPacketCopiesItsAddressList() {
        var addresses = new java.util.ArrayList<>(List.of(Vectors.VIP));
        VrrpPacket p = new VrrpPacket(MacAddress.BROADCAST, MacAddress.BROADCAST, Vectors.NODE_A, Carp.DEFAULT_GROUP, 255,
                3, 1, 7, 100, 1, 0, 100, 0, addresses, new byte[0]);
        addresses.clear();
        assertThat(p.addresses()).containsExactly(Vectors.VIP);
    }
}
