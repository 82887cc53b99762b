package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.sniff.CapturedFrame;
import dev.karp.testing.Vectors;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The codec against real UCarp captures (src/test/resources/vectors). */
class CarpCodecGoldenTest {

    static final List<String> ALL = Vectors.ALL;

    /** ucarp-spec §1.4: cap 02 frame 4 (vhid 7, advbase 1, advskew 0, password s3cret, VIP 10.200.0.100). */
    static final byte[] ANNOTATED_FRAME = Vectors.hex(""
            + "01 00 5e 00 00 12"                     // eth dst: multicast MAC of 224.0.0.18
            + "00 00 5e 00 00 07"                     // eth src: 00:00:5e:00:00:<vhid>
            + "08 00"                                 // ethertype IPv4
            + "45 10 00 38 aa 48 40 00 ff 70 e6 17"   // IPv4: ihl 5, tos 0x10, len 56, id 0xaa48, DF, ttl 255, proto 112, csum 0xe617
            + "0a c8 00 0b e0 00 00 12"               // src 10.200.0.11, dst 224.0.0.18
            + "21 07 00 07 00 01 b9 6d"               // CARP: v2/t1, vhid 7, advskew 0, authlen 7, demote 0, advbase 1, csum 0xb96d
            + "4b 24 a8 2c e5 20 0b 7c"               // counter 0x4b24a82ce5200b7c
            + "4a dd 92 ae 78 01 b6 45 7c 27 66 0e 64 33 c9 23 6a 57 bb dd"); // HMAC-SHA1

    @Test
    void theAnnotatedFrameOfTheSpecDecodesToItsFields() {
        // when
        Decoded decoded = CarpCodec.decode(ANNOTATED_FRAME);

        // then
        assertThat(decoded).isInstanceOf(Decoded.CarpFrame.class);
        Decoded.CarpFrame f = (Decoded.CarpFrame) decoded;
        CarpPacket p = f.packet();
        assertThat(p.ethDst()).hasToString("01:00:5e:00:00:12");
        assertThat(p.ethSrc()).hasToString("00:00:5e:00:00:07");
        assertThat(p.ipSrc()).isEqualTo(Vectors.NODE_A);
        assertThat(p.ipDst()).isEqualTo(Carp.DEFAULT_GROUP);
        assertThat(p.tos()).isEqualTo(0x10);
        assertThat(p.ipId()).isEqualTo(0xaa48);
        assertThat(p.dontFragment()).isTrue();
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.ipChecksum()).isEqualTo(0xe617);
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.type()).isEqualTo(1);
        assertThat(p.vhid()).isEqualTo(7);
        assertThat(p.advskew()).isZero();
        assertThat(p.authlen()).isEqualTo(7);
        assertThat(p.demote()).isZero();
        assertThat(p.advbase()).isEqualTo(1);
        assertThat(p.carpChecksum()).isEqualTo(0xb96d);
        assertThat(p.counter()).isEqualTo(0x4b24a82ce5200b7cL);
        assertThat(p.counterString()).isEqualTo("5414637562782288764");
        assertThat(p.digestHex()).isEqualTo("4add92ae7801b6457c27660e6433c9236a57bbdd");
        assertThat(f.checksumsOk()).isTrue();
        assertThat(f.ipHeaderLength()).isEqualTo(20);
        assertThat(f.ipTotalLength()).isEqualTo(56);
        assertThat(f.frameLength()).isEqualTo(70);
    }

    @Test
    void theAnnotatedFrameIsFrame4OfCapture02() {
        assertThat(Vectors.frame("02-failover-sigkill.pcap", 4).bytes()).isEqualTo(ANNOTATED_FRAME);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void everyProtocol112FrameOfEveryCaptureDecodesAsCarp(String capture) {
        // given
        List<CapturedFrame> frames = carpFrames(capture);

        // then
        assertThat(frames).isNotEmpty();
        for (CapturedFrame f : frames) {
            assertThat(CarpCodec.decode(f.buffer())).isInstanceOf(Decoded.CarpFrame.class);
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void everyUcarpAdvertHasUcarpsFixedFieldsAndValidChecksums(String capture) {
        for (CapturedFrame f : carpFrames(capture)) {
            Decoded.CarpFrame d = (Decoded.CarpFrame) CarpCodec.decode(f.buffer());
            if (capture.startsWith("90") && d.packet().counter() == 0x4b24a82ce5200b7cL) {
                continue; // the deliberately corrupted frame, see below
            }
            CarpPacket p = d.packet();
            assertThat(d.checksumsOk()).as("checksums of %s", p).isTrue();
            assertThat(p.ttl()).isEqualTo(255);
            assertThat(p.tos()).isEqualTo(0x10);
            assertThat(p.dontFragment()).isTrue();
            assertThat(p.version()).isEqualTo(2);
            assertThat(p.type()).isEqualTo(1);
            assertThat(p.vhid()).isEqualTo(Vectors.VHID);
            assertThat(p.authlen()).isEqualTo(7);
            assertThat(p.demote()).isZero();
            assertThat(p.ethSrc()).isEqualTo(Carp.virtualMac(7));
            assertThat(p.ethDst()).isEqualTo(capture.startsWith("07") ? MacAddress.BROADCAST : Carp.multicastMac(Carp.DEFAULT_GROUP));
            assertThat(p.ipDst()).isEqualTo(Carp.DEFAULT_GROUP);
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void everyDigestVerifiesWithThePasswordItsSenderUsed(String capture) {
        // given
        CarpHmac s3cret = new CarpHmac(CarpPassword.of(Vectors.PASSWORD));
        CarpHmac wrongpw = new CarpHmac(CarpPassword.of(Vectors.WRONG_PASSWORD));

        for (CapturedFrame f : carpFrames(capture)) {
            CarpPacket p = ((Decoded.CarpFrame) CarpCodec.decode(f.buffer())).packet();
            boolean nodeC = capture.startsWith("05") && p.ipSrc().equals(Vectors.NODE_C);

            // then
            CarpHmac right = nodeC ? wrongpw : s3cret;
            CarpHmac wrong = nodeC ? s3cret : wrongpw;
            assertThat(right.verify(p.vhid(), Vectors.VIPS, p.counter(), p.digest())).as("%s", p).isTrue();
            assertThat(wrong.verify(p.vhid(), Vectors.VIPS, p.counter(), p.digest())).as("%s", p).isFalse();
        }
    }

    @Test
    void capture05HasAdvertsFromNodeCThatOnlyWrongpwVerifies() {
        long fromC = carpFrames("05-wrong-password.pcap").stream()
                .map(f -> ((Decoded.CarpFrame) CarpCodec.decode(f.buffer())).packet())
                .filter(p -> p.ipSrc().equals(Vectors.NODE_C))
                .count();
        assertThat(fromC).isPositive();
    }

    @Test
    void capture08CarriesTheExtraAddresses() {
        List<InetAddress> sources = carpFrames("08-tiebreak-equal-params.pcap").stream()
                .map(f -> ((Decoded.CarpFrame) CarpCodec.decode(f.buffer())).packet().ipSrc())
                .distinct()
                .toList();
        assertThat(sources).containsExactlyInAnyOrder(Carp.ipv4(10, 200, 1, 20), Carp.ipv4(10, 200, 2, 10));
    }

    @Test
    void theCorruptedFrameOf90IsDecodedWithBothChecksumsBadAndTtl64() {
        // given: frame 4 of 02 with advskew 99 and TTL 64, checksums not fixed
        CapturedFrame frame = Vectors.frame("90-derived-corrupted-frame4.pcap", 4);

        // when
        Decoded.CarpFrame d = (Decoded.CarpFrame) CarpCodec.decode(frame.buffer());

        // then
        assertThat(d.ipChecksumOk()).isFalse();
        assertThat(d.carpChecksumOk()).isFalse();
        assertThat(d.packet().ttl()).isEqualTo(64);
        assertThat(d.packet().advskew()).isEqualTo(99);
        assertThat(d.packet().ipChecksum()).isEqualTo(0xe617);
        assertThat(d.packet().carpChecksum()).isEqualTo(0xb96d);
        // advskew is outside the HMAC (ucarp-spec §2.2), so the digest still verifies
        assertThat(new CarpHmac(Vectors.password()).verify(7, Vectors.VIPS, d.packet().counter(), d.packet().digest())).isTrue();
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void reEncodingAnAdvertWithItsCapturedIpIdGivesTheCapturedBytes(String capture) {
        for (CapturedFrame f : carpFrames(capture)) {
            // given
            Decoded.CarpFrame d = (Decoded.CarpFrame) CarpCodec.decode(f.buffer());
            if (!d.checksumsOk()) {
                continue; // 90's edited frame is not what any encoder sent
            }
            CarpPacket p = d.packet();
            boolean nodeC = capture.startsWith("05") && p.ipSrc().equals(Vectors.NODE_C);
            CarpPassword password = CarpPassword.of(nodeC ? Vectors.WRONG_PASSWORD : Vectors.PASSWORD);
            CarpSender sender = new CarpSender((Inet4Address) p.ipSrc(), (Inet4Address) p.ipDst(), p.ethDst().equals(MacAddress.BROADCAST), Vectors.VIPS,
                    new CarpHmac(password));

            // when
            byte[] encoded = CarpCodec.encode(sender, new Advert(p.vhid(), p.advbase(), p.advskew(), p.counter()), p.ipId());

            // then
            assertThat(encoded).as("%s", p).isEqualTo(f.bytes());
        }
    }

    @Test
    void theGratuitousArpOfCapture02Frame3IsReproducedByteForByte() {
        // given: ucarp-spec §6
        byte[] expected = Vectors.hex(""
                + "ff ff ff ff ff ff"   // eth dst: broadcast
                + "02 00 00 00 00 11"   // eth src: the NIC's real MAC
                + "08 06"               // ARP
                + "00 01 08 00 06 04"   // Ethernet, IPv4, hlen 6, plen 4
                + "00 01"               // request
                + "02 00 00 00 00 11"   // sender MAC
                + "0a c8 00 64"         // sender IP: the VIP
                + "02 00 00 00 00 11"   // target MAC = sender MAC
                + "0a c8 00 64");       // target IP: the VIP
        assertThat(Vectors.frame("02-failover-sigkill.pcap", 3).bytes()).isEqualTo(expected);

        // when
        byte[] garp = GratuitousArp.frame(new byte[] {2, 0, 0, 0, 0, 0x11}, Vectors.VIP);

        // then
        assertThat(garp).isEqualTo(expected);
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void everyArpInTheCapturesIsAGratuitousArpForTheVip(String capture) {
        for (CapturedFrame f : Vectors.frames(capture)) {
            if (CarpCodec.decode(f.buffer()) instanceof Decoded.ArpFrame arp) {
                assertThat(arp.packet().isGratuitous()).isTrue();
                assertThat(arp.packet().senderIp()).isEqualTo(Vectors.VIP);
                assertThat(arp.packet().opcode()).isEqualTo(ArpPacket.REQUEST);
                assertThat(arp.packet().senderMac()).isEqualTo(arp.packet().ethSrc());
            }
        }
    }

    @Test
    void igmpReportsAreRejectedAsAnotherProtocol() {
        // given: frame 1 of 02 is the kernel's IGMPv3 join
        CapturedFrame igmp = Vectors.frame("02-failover-sigkill.pcap", 1);

        // then
        assertThat(CarpCodec.decode(igmp.buffer()))
                .isEqualTo(new Decoded.Rejected(DropReason.NOT_CARP, "IP protocol 2 (expected: 112)"));
    }

    @Test
    void decodingLeavesTheCallersBufferAlone() {
        // given
        ByteBuffer b = ByteBuffer.allocate(80);
        b.position(5);
        b.put(ANNOTATED_FRAME);
        b.position(5).limit(75);

        // when
        Decoded d = CarpCodec.decode(b);

        // then
        assertThat(d).isInstanceOf(Decoded.CarpFrame.class);
        assertThat(b.position()).isEqualTo(5);
        assertThat(b.limit()).isEqualTo(75);
    }

    static List<CapturedFrame> carpFrames(String capture) {
        List<CapturedFrame> out = new ArrayList<>();
        for (CapturedFrame f : Vectors.frames(capture)) {
            byte[] b = f.bytes();
            if (b.length > 23 && b[12] == 0x08 && b[13] == 0x00 && (b[23] & 0xff) == 112) {
                out.add(f);
            }
        }
        return out;
    }
}
