package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.testing.Vectors;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Decode rejections with their messages, and the encoder's variants. */
class CarpCodecTest {

    @Test
    void anEmptyFrameIsTooShort() {
        assertThat(CarpCodec.decode(new byte[0])).isEqualTo(new Decoded.Rejected(DropReason.TOO_SHORT, "short frame: 0 bytes (expected: 70)"));
    }

    @Test
    void anIpv4FrameWithoutAFullIpHeaderIsTooShort() {
        assertThat(CarpCodec.decode(Frames.truncate(Frames.advert(Vectors.NODE_A), 30)))
                .isEqualTo(new Decoded.Rejected(DropReason.TOO_SHORT, "short frame: 30 bytes (expected: 70)"));
    }

    @Test
    void anIpv4FrameCutInsideTheCarpHeaderIsABogusSize() {
        assertThat(CarpCodec.decode(Frames.truncate(Frames.advert(Vectors.NODE_A), 60)))
                .isEqualTo(new Decoded.Rejected(DropReason.BOGUS_SIZE, "short frame: 60 bytes (expected: 70)"));
    }

    @Test
    void anIpv4HeaderBehindTheIpv6EthertypeIsNotIpv6() {
        byte[] f = Frames.advert(Vectors.NODE_A);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xdd;
        assertThat(CarpCodec.decode(f)).isEqualTo(new Decoded.Rejected(DropReason.NOT_IPV4, "not IPv6: IP version 4 (expected: 6)"));
    }

    @Test
    void aBadCarpVersionIsRejectedWithSeenAndExpected() {
        byte[] f = Frames.fixChecksums(Frames.with(Frames.advert(Vectors.NODE_A), 34, 0x11));
        assertThat(CarpCodec.decode(f)).isEqualTo(new Decoded.Rejected(DropReason.BAD_VERSION, "bad CARP version 1 (expected: 2)"));
    }

    @Test
    void aBogusIpHeaderLengthIsRejected() {
        assertThat(CarpCodec.decode(Frames.with(Frames.advert(Vectors.NODE_A), 14, 0x41)))
                .isEqualTo(new Decoded.Rejected(DropReason.BOGUS_SIZE, "bogus IP header length 4 (expected: 20..60)"));
    }

    @Test
    void aTruncatedArpIsRejectedAsTheDaemonDropsIt() {
        byte[] garp = Vectors.frame("02-failover-sigkill.pcap", 3).bytes();
        assertThat(CarpCodec.decode(Frames.truncate(garp, 41)))
                .isEqualTo(new Decoded.Rejected(DropReason.NOT_IPV4, "not IP: ethertype 0x0806 (expected: 0x0800 or 0x86dd)"));
    }

    @Test
    void anArpForAnotherProtocolIsRejectedAsTheDaemonDropsIt() {
        byte[] garp = Vectors.frame("02-failover-sigkill.pcap", 3).bytes();
        assertThat(CarpCodec.decode(Frames.with(garp, 15, 6)))
                .isEqualTo(new Decoded.Rejected(DropReason.NOT_IPV4, "not IP: ethertype 0x0806 (expected: 0x0800 or 0x86dd)"));
    }

    @Test
    void aCarpAdvertFollowedByEthernetPaddingStillDecodes() {
        byte[] f = java.util.Arrays.copyOf(Frames.advert(Vectors.NODE_A), 80);
        assertThat(CarpCodec.decode(f)).isInstanceOf(Decoded.CarpFrame.class)
                .extracting(d -> ((Decoded.CarpFrame) d).frameLength()).isEqualTo(80);
    }

    @Test
    void nomcastSendsToBroadcastButKeepsTheGroupAsIpDestination() {
        // given: ucarp-spec §1.1, cap 07
        CarpSender nomcast = new CarpSender(Vectors.NODE_A, Carp.DEFAULT_GROUP, true, Vectors.VIPS, Frames.S3CRET);

        // when
        CarpPacket p = ((Decoded.CarpFrame) CarpCodec.decode(CarpCodec.encode(nomcast, new Advert(7, 1, 0, 1), 1))).packet();

        // then
        assertThat(p.ethDst()).isEqualTo(MacAddress.BROADCAST);
        assertThat(p.ipDst()).isEqualTo(Carp.DEFAULT_GROUP);
    }

    @Test
    void anotherGroupGetsItsOwnMulticastMac() {
        // 239.192.0.7 -> 01:00:5e:40:00:07 (ucarp-spec §1.1, cap 12)
        assertThat(Carp.multicastMac(Carp.ipv4(239, 192, 0, 7))).hasToString("01:00:5e:40:00:07");
        assertThat(Carp.virtualMac(200)).hasToString("00:00:5e:00:00:c8");
    }

    @Test
    void aRandomIpIdComesFromTheGivenGenerator() {
        // given
        CarpSender s = Frames.sender(Vectors.NODE_A);
        Advert a = new Advert(7, 1, 0, 1);

        // when
        byte[] f1 = CarpCodec.encode(s, a, new SplittableRandom(42));
        byte[] f2 = CarpCodec.encode(s, a, new SplittableRandom(42));

        // then
        assertThat(f1).isEqualTo(f2);
        int id = ((Decoded.CarpFrame) CarpCodec.decode(f1)).packet().ipId();
        assertThat(id).isEqualTo(new SplittableRandom(42).nextInt(0x10000));
    }

    @Test
    void encodingIntoACallersArrayWritesOnlyTheFrame() {
        // given
        byte[] out = new byte[100];
        java.util.Arrays.fill(out, (byte) 0xee);

        // when
        CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 0, 0x4b24a82ce5200b7cL), 0xaa48, out, 10);

        // then
        assertThat(java.util.Arrays.copyOfRange(out, 10, 80)).isEqualTo(Frames.advert(Vectors.NODE_A));
        assertThat(out[9]).isEqualTo((byte) 0xee);
        assertThat(out[80]).isEqualTo((byte) 0xee);
    }

    @Test
    void encodingIntoABufferAdvancesItsPosition() {
        ByteBuffer heap = ByteBuffer.allocate(80).position(3);
        ByteBuffer direct = ByteBuffer.allocateDirect(80).position(3);

        CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 0, 0x4b24a82ce5200b7cL), 0xaa48, heap);
        CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 0, 0x4b24a82ce5200b7cL), 0xaa48, direct);

        assertThat(heap.position()).isEqualTo(73);
        assertThat(direct.position()).isEqualTo(73);
        byte[] got = new byte[70];
        direct.get(3, got);
        assertThat(got).isEqualTo(Frames.advert(Vectors.NODE_A));
    }

    @Test
    void encodingRefusesAnArrayWithoutRoom() {
        assertThatThrownBy(() -> CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 0, 1), 1, new byte[75], 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no room for a 70-byte frame at offset 10 of a 75-byte array");
    }

    @Test
    void encodingRefusesAnIpIdOutOfRange() {
        assertThatThrownBy(() -> CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 0, 1), 0x10000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IP id 65536 is out of range (expected: 0..65535)");
    }

    @Test
    void anAdvertRefusesOutOfRangeValues() {
        assertThatThrownBy(() -> new Advert(0, 1, 0, 1)).hasMessage("vhid 0 is out of range (expected: 1..255)");
        assertThatThrownBy(() -> new Advert(7, 256, 0, 1)).hasMessage("advbase 256 is out of range (expected: 0..255)");
        assertThatThrownBy(() -> new Advert(7, 1, -1, 1)).hasMessage("advskew -1 is out of range (expected: 0..255)");
    }

    @Test
    void aPacketCopiesItsDigestAndComparesByContent() {
        // given
        CarpPacket p = ((Decoded.CarpFrame) CarpCodec.decode(Frames.advert(Vectors.NODE_A))).packet();
        CarpPacket q = ((Decoded.CarpFrame) CarpCodec.decode(Frames.advert(Vectors.NODE_A))).packet();

        // when
        p.digest()[0] ^= 1;

        // then
        assertThat(p).isEqualTo(q).hasSameHashCodeAs(q);
        assertThat(p.toString()).contains("counter=5414637562782288764", "digest=4add92ae");
    }

    @Test
    void theAnnouncedIntervalTruncatesTheSkewToMicroseconds() {
        CarpPacket p = ((Decoded.CarpFrame) CarpCodec.decode(
                CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 1, 50, 1), 1))).packet();
        // 50 * 1000000 / 256 = 195312.5 -> 195312 us (ucarp-spec §1.3)
        assertThat(p.interval()).isEqualTo(java.time.Duration.ofNanos(1_195_312_000L));
    }

    @Test
    void aBowOutIsAdvbase255AndAdvskew255() {
        CarpPacket bowOut = ((Decoded.CarpFrame) CarpCodec.decode(
                CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(7, 255, 255, 1), 1))).packet();
        CarpPacket normal = ((Decoded.CarpFrame) CarpCodec.decode(Frames.advert(Vectors.NODE_A))).packet();
        assertThat(bowOut.isBowOut()).isTrue();
        assertThat(normal.isBowOut()).isFalse();
    }

    @Test
    void ipv4LiteralsAreParsedWithoutLookups() {
        assertThat(Carp.parseIpv4("10.200.0.100")).isEqualTo(Vectors.VIP);
        assertThatThrownBy(() -> Carp.parseIpv4("example.com")).hasMessage("'example.com' is not an IPv4 address (expected: a.b.c.d)");
        assertThatThrownBy(() -> Carp.parseIpv4("10.0.0.256"))
                .hasMessage("'10.0.0.256' is not an IPv4 address: 256 is out of range (expected: 0..255)");
    }
}
