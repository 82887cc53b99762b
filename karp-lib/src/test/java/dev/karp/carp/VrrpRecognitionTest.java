package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CARP and VRRP share IP protocol 112 and group 224.0.0.18, and CARP and VRRPv2 both start with
 * 0x21. These frames were written by hand from RFC 3768 and RFC 5798, padded to Ethernet's 60
 * bytes as they appear on the wire.
 */
class VrrpRecognitionTest {

    /** VRRPv3 (RFC 5798): VRID 7, priority 100, 1 s, one address; checksum over the IPv4 pseudo-header too. */
    static final byte[] VRRP_V3 = Vectors.hex(""
            + "01 00 5e 00 00 12"                     // eth dst: 224.0.0.18
            + "00 00 5e 00 01 07"                     // eth src: VRRP virtual MAC 00:00:5e:00:01:<vrid>
            + "08 00"                                 // IPv4
            + "45 c0 00 20 00 00 00 00 ff 70 cf ce"   // ihl 5, tos 0xc0, len 32, id 0, ttl 255, proto 112, csum 0xcfce
            + "0a c8 00 05 e0 00 00 12"               // src 10.200.0.5, dst 224.0.0.18
            + "31 07 64 01"                           // version 3 / type 1, VRID 7, priority 100, count 1
            + "00 64 74 0b"                           // rsvd 0 / max adver int 100 cs, checksum 0x740b
            + "0a c8 00 64"                           // 10.200.0.100
            + "00 00 00 00 00 00 00 00 00 00 00 00 00 00"); // Ethernet padding to 60 bytes

    /** VRRPv2 (RFC 3768): VRID 7, priority 100, no auth, 1 s, one address. */
    static final byte[] VRRP_V2 = Vectors.hex(""
            + "01 00 5e 00 00 12 00 00 5e 00 01 07 08 00"
            + "45 c0 00 28 00 00 00 00 ff 70 cf c6"   // len 40
            + "0a c8 00 05 e0 00 00 12"
            + "21 07 64 01"                           // version 2 / type 1 (like CARP!), VRID 7, priority 100, count 1
            + "00 01 6f ca"                           // auth type 0, adver int 1 s, checksum 0x6fca
            + "0a c8 00 64"                           // 10.200.0.100
            + "00 00 00 00 00 00 00 00"               // authentication data
            + "00 00 00 00 00 00");                   // padding

    /** VRRPv2 with 5 addresses: exactly 36 bytes, as long as a CARP header; count 5 where CARP has authlen 7. */
    static final byte[] VRRP_V2_FIVE_ADDRESSES = Vectors.hex(""
            + "01 00 5e 00 00 12 00 00 5e 00 01 07 08 00"
            + "45 c0 00 38 00 00 00 00 ff 70 cf b6"   // len 56, like a CARP advert
            + "0a c8 00 05 e0 00 00 12"
            + "21 07 64 05"                           // v2/t1, VRID 7, priority 100, count 5
            + "00 01 43 0c"                           // auth 0, 1 s, checksum 0x430c
            + "0a c8 00 64 0a c8 00 65 0a c8 00 66 0a c8 00 67 0a c8 00 68"
            + "00 00 00 00 00 00 00 00");

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
                .isEqualTo("10.200.0.5 > 224.0.0.18 VRRPv3 vrid=7 priority=100 interval=1s addresses=10.200.0.100");
        assertThat(AdvertFormat.line(v2, false)).isEqualTo("10.200.0.5 > 224.0.0.18 VRRPv2 vrid=7 priority=100 interval=1s"
                + " addresses=10.200.0.100,10.200.0.101,10.200.0.102,10.200.0.103,10.200.0.104 sum=bad");
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
