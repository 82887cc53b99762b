package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.sniff.CapturedFrame;
import dev.karp.sniff.SniffAnalyzer;
import dev.karp.sniff.SniffConfig;
import dev.karp.sniff.SniffRecord;
import dev.karp.testing.Vectors;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one chain, as the daemon, the decoder and sniff each see it: same reason, same words. */
class AdvertChainTest {
    static final int IP = 14;
    static final int CARP = 34;

    final AdvertFilter daemon = new AdvertFilter(
            new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, Frames.S3CRET), new DropCounters());

    AdvertChain.Verdict.Dropped daemonDrop(byte[] frame) {
        return (AdvertChain.Verdict.Dropped) daemon.check(ByteBuffer.wrap(frame));
    }

    static SniffRecord.Carp sniffed(byte[] frame, SniffConfig config) {
        return (SniffRecord.Carp) SniffAnalyzer.analyze(config, List.of(new CapturedFrame(Instant.EPOCH, frame)))
                .records().get(0);
    }

    @Test
    void aBadTtlHasOneReasonAndOneWordingForTheDaemonTheDecoderAndSniff() {
        // given
        byte[] frame = Frames.fixChecksums(Frames.with(Frames.advert(Vectors.NODE_A), IP + 8, 64));
        String detail = "bad TTL 64 (expected: 255); CARP nodes must share one link, with no router between them";

        // when
        AdvertChain.Verdict.Dropped drop = daemonDrop(frame);
        Decoded decoded = CarpCodec.decode(frame);
        SniffRecord.Carp record = sniffed(frame, SniffConfig.withPassword(Vectors.password()).withVips(Vectors.VIPS));

        // then
        assertThat(drop.reason()).isEqualTo(DropReason.BAD_TTL);
        assertThat(drop.message()).isEqualTo("vhid 7: dropped advert from 10.200.0.11: " + detail);
        assertThat(decoded).isInstanceOf(Decoded.CarpFrame.class);
        assertThat(record.drop()).contains(DropReason.BAD_TTL);
        assertThat(record.problems()).startsWith("dropped: " + detail);
    }

    @Test
    void aWrongPasswordIsTheDaemonsBadDigestInSniffToo() {
        // given: an advert keyed with another password
        CarpSender other = new CarpSender(Vectors.NODE_A, Carp.DEFAULT_GROUP, false, Vectors.VIPS,
                new CarpHmac(CarpPassword.of("wrongpw")));
        byte[] frame = CarpCodec.encode(other, new Advert(7, 1, 0, 5), 1);

        // when
        AdvertChain.Verdict.Dropped drop = daemonDrop(frame);
        SniffRecord.Carp record = sniffed(frame, SniffConfig.withPassword(Vectors.password()).withVips(Vectors.VIPS));

        // then
        assertThat(drop.reason()).isEqualTo(DropReason.BAD_DIGEST);
        assertThat(record.digest()).isEqualTo(DigestStatus.INVALID);
        assertThat(record.drop()).contains(DropReason.BAD_DIGEST);
        assertThat(record.problems()).containsExactly("dropped: " + drop.detail());
    }

    @Test
    void aDropAfterTheSizeCheckCarriesTheDecodedAdvert() {
        // given
        byte[] vhid8 = CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(8, 1, 0, 1), 1);

        // when
        AdvertChain.Verdict.Dropped drop = daemonDrop(vhid8);

        // then
        assertThat(drop.reason()).isEqualTo(DropReason.OTHER_VHID);
        assertThat(drop.decoded()).isInstanceOfSatisfying(Decoded.CarpFrame.class,
                f -> assertThat(f.packet().vhid()).isEqualTo(8));
        assertThat(drop.source()).contains(Vectors.NODE_A);
    }

    @Test
    void aDropBeforeDecodingCarriesARejectionWithTheSameWords() {
        // when
        AdvertChain.Verdict.Dropped drop = daemonDrop(Frames.truncate(Frames.advert(Vectors.NODE_A), 60));

        // then
        assertThat(drop.decoded()).isEqualTo(new Decoded.Rejected(DropReason.BOGUS_SIZE, drop.detail()));
        assertThat(CarpCodec.decode(Frames.truncate(Frames.advert(Vectors.NODE_A), 60))).isEqualTo(drop.decoded());
    }

    @Test
    void aVrrpDropCarriesTheVrrpAdvert() {
        AdvertChain.Verdict v = AdvertChain.ANY.check(ByteBuffer.wrap(VrrpRecognitionTest.VRRP_V3));

        assertThat(v).isInstanceOfSatisfying(AdvertChain.Verdict.Dropped.class, d -> {
            assertThat(d.reason()).isEqualTo(DropReason.VRRP);
            assertThat(d.decoded()).isInstanceOf(Decoded.VrrpFrame.class);
        });
    }

    @Test
    void anArpFrameIsNotIpv4AndCarriesItsArpPacket() {
        AdvertChain.Verdict v = AdvertChain.ANY.check(ByteBuffer.wrap(Vectors.frame("02-failover-sigkill.pcap", 3).bytes()));

        assertThat(v).isInstanceOfSatisfying(AdvertChain.Verdict.Dropped.class, d -> {
            assertThat(d.reason()).isEqualTo(DropReason.NOT_IPV4);
            assertThat(d.decoded()).isInstanceOf(Decoded.ArpFrame.class);
            assertThat(d.message()).isEqualTo("dropped frame: not IP: ethertype 0x0806 (expected: 0x0800 or 0x86dd)");
        });
    }

    @Test
    void checksWithoutAnExpectationAreSkipped() {
        // given: our own advert, for vhid 8, to another group
        CarpSender sender = new CarpSender(Vectors.NODE_B, Carp.ipv4(224, 0, 0, 19), false, Vectors.VIPS, Frames.S3CRET);
        byte[] frame = CarpCodec.encode(sender, new Advert(8, 1, 0, 1), 1);

        // then: nothing expected, nothing wrong; the daemon drops it at the first check it expects
        assertThat(AdvertChain.ANY.check(ByteBuffer.wrap(frame))).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        assertThat(new AdvertChain(AdvertChain.Expect.digestOnly(Frames.S3CRET, Vectors.VIPS)).check(ByteBuffer.wrap(frame)))
                .isInstanceOf(AdvertChain.Verdict.Accepted.class);
        assertThat(daemonDrop(frame).reason()).isEqualTo(DropReason.OWN_SOURCE);
    }

    @Test
    void theDecodersReasonIsTheChainsFirstFailureInSpecOrder() {
        // given: TTL 64 and CARP version 3; UCarp's order checks the TTL first (§1.6 steps 5, 6)
        byte[] frame = Frames.fixChecksums(Frames.with(Frames.with(Frames.advert(Vectors.NODE_A), IP + 8, 64), CARP, 0x31));

        // then
        assertThat(CarpCodec.decode(frame)).isEqualTo(new Decoded.Rejected(DropReason.BAD_TTL,
                "bad TTL 64 (expected: 255); CARP nodes must share one link, with no router between them"));
    }
}
