package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;

/** Receive validation, one test per drop reason with its exact message (ucarp-spec §1.6). */
class AdvertFilterTest {
    static final int IP = 14;
    static final int CARP = 34;

    final DropCounters counters = new DropCounters();
    /** We are node B; adverts come from node A (10.200.0.11). */
    final AdvertFilter filter = filterFor(Vectors.NODE_B, Frames.S3CRET);

    AdvertFilter filterFor(Inet4Address own, CarpHmac hmac) {
        return new AdvertFilter(new AdvertFilter.Config(own, 7, Carp.DEFAULT_GROUP, Vectors.VIPS, hmac), counters);
    }

    AdvertChain.Verdict check(byte[] frame) {
        return filter.check(ByteBuffer.wrap(frame));
    }

    /** The verdict is a drop for this reason, with this log line. */
    static ThrowingConsumer<AdvertChain.Verdict> dropped(DropReason reason, String message) {
        return v -> {
            assertThat(v).isInstanceOf(AdvertChain.Verdict.Dropped.class);
            assertThat(((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(reason);
            assertThat(((AdvertChain.Verdict.Dropped) v).message()).isEqualTo(message);
        };
    }

    @Test
    void aValidUcarpAdvertIsAccepted() {
        // given
        byte[] frame = Vectors.frame("02-failover-sigkill.pcap", 4).bytes();

        // when
        AdvertChain.Verdict v = check(frame);

        // then
        assertThat(v).isEqualTo(new AdvertChain.Verdict.Accepted((Decoded.CarpFrame) CarpCodec.decode(frame)));
        assertThat(counters.total()).isZero();
    }

    @Test
    void aFrameTooShortForAnIpHeaderIsDroppedAsTooShort() {
        assertThat(check(Frames.truncate(Frames.advert(Vectors.NODE_A), 34)))
                .satisfies(dropped(DropReason.TOO_SHORT, "vhid 7: dropped frame: short frame: 34 bytes (expected: 70)"));
    }

    @Test
    void anArpFrameIsDroppedAsNotIpv4() {
        assertThat(check(Vectors.frame("02-failover-sigkill.pcap", 3).bytes()))
                .satisfies(dropped(DropReason.NOT_IPV4, "vhid 7: dropped frame: not IP: ethertype 0x0806 (expected: 0x0800 or 0x86dd)"));
    }

    @Test
    void anIpv4EthertypeWithAnotherIpVersionIsDroppedAsNotIpv4() {
        assertThat(check(Frames.with(Frames.advert(Vectors.NODE_A), IP, 0x65)))
                .satisfies(dropped(DropReason.NOT_IPV4, "vhid 7: dropped frame: not IPv4: IP version 6 (expected: 4)"));
    }

    @Test
    void ourOwnAdvertIsDroppedAsOwnSource() {
        // given
        AdvertFilter nodeA = filterFor(Vectors.NODE_A, Frames.S3CRET);

        // when
        AdvertChain.Verdict v = nodeA.check(ByteBuffer.wrap(Frames.advert(Vectors.NODE_A)));

        // then
        assertThat(v).satisfies(dropped(DropReason.OWN_SOURCE, "vhid 7: dropped advert from 10.200.0.11: the source is our"
                + " own --srcip (our advert looped back, or another node uses the same address)"));
    }

    @Test
    void anotherIpProtocolIsDroppedAsNotCarp() {
        assertThat(check(Vectors.frame("02-failover-sigkill.pcap", 1).bytes()))
                .satisfies(dropped(DropReason.NOT_CARP, "vhid 7: dropped packet from 10.200.0.11: IP protocol 2 (expected: 112)"));
    }

    @Test
    void aVrrpAdvertIsDroppedAsVrrp() {
        assertThat(check(VrrpRecognitionTest.VRRP_V3))
                .satisfies(dropped(DropReason.VRRP, "vhid 7: dropped advert from 10.200.0.5: VRRPv3 advert for VRID 7 with"
                        + " priority 100, not CARP; a VRRP router (e.g. keepalived) shares this link and IP protocol 112"));
    }

    @Test
    void aFrameShorterThanTheCarpHeaderIsDroppedAsBogusSize() {
        assertThat(check(Frames.truncate(Frames.advert(Vectors.NODE_A), 60)))
                .satisfies(dropped(DropReason.BOGUS_SIZE, "vhid 7: dropped advert from 10.200.0.11: short frame: 60 bytes (expected: 70)"));
    }

    @Test
    void anIpHeaderLengthBelow20IsDroppedAsBogusSize() {
        assertThat(check(Frames.with(Frames.advert(Vectors.NODE_A), IP, 0x44)))
                .satisfies(dropped(DropReason.BOGUS_SIZE, "vhid 7: dropped advert from 10.200.0.11: bogus IP header length 16 (expected: 20..60)"));
    }

    @Test
    void aFrameShorterThanItsIpOptionsAndCarpHeaderIsDroppedAsBogusSize() {
        assertThat(check(Frames.with(Frames.advert(Vectors.NODE_A), IP, 0x46)))
                .satisfies(dropped(DropReason.BOGUS_SIZE, "vhid 7: dropped advert from 10.200.0.11: short frame: 70 bytes"
                        + " (expected: 74 with a 24-byte IP header)"));
    }

    @Test
    void aTtlOtherThan255IsDroppedAsBadTtl() {
        assertThat(check(Frames.fixChecksums(Frames.with(Frames.advert(Vectors.NODE_A), IP + 8, 64))))
                .satisfies(dropped(DropReason.BAD_TTL, "vhid 7: dropped advert from 10.200.0.11: bad TTL 64 (expected: 255);"
                        + " CARP nodes must share one link, with no router between them"));
    }

    @Test
    void aCarpVersionOtherThan2IsDroppedAsBadVersion() {
        assertThat(check(Frames.fixChecksums(Frames.with(Frames.advert(Vectors.NODE_A), CARP, 0x31))))
                .satisfies(dropped(DropReason.BAD_VERSION, "vhid 7: dropped advert from 10.200.0.11: bad CARP version 3 (expected: 2)"));
    }

    @Test
    void anAdvertForAnotherVhidIsDroppedAsOtherVhid() {
        // given
        byte[] vhid8 = CarpCodec.encode(Frames.sender(Vectors.NODE_A), new Advert(8, 1, 0, 1), 1);

        // then
        assertThat(check(vhid8)).satisfies(dropped(DropReason.OTHER_VHID, "vhid 7: dropped advert from 10.200.0.11: vhid 8"
                + " (expected: 7); another virtual host shares this link"));
    }

    @Test
    void anAdvertToAnotherGroupIsDroppedAsOtherGroup() {
        // given
        CarpSender other = new CarpSender(Vectors.NODE_A, Carp.ipv4(224, 0, 0, 19), false, Vectors.VIPS, Frames.S3CRET);
        byte[] frame = CarpCodec.encode(other, new Advert(7, 1, 0, 1), 1);

        // then
        assertThat(check(frame)).satisfies(dropped(DropReason.OTHER_GROUP, "vhid 7: dropped advert from 10.200.0.11:"
                + " destination 224.0.0.19 (expected: 224.0.0.18); check the multicast group on both nodes"));
    }

    @Test
    void aWrongCarpChecksumIsDroppedAsBadChecksumWithTheExpectedValue() {
        // given: advskew changed to 99 without fixing the checksum, as in capture 90
        byte[] frame = Frames.with(Frames.advert(Vectors.NODE_A), CARP + 2, 99);

        // then: tshark says "should be 0x566d" for the same edit
        assertThat(check(frame)).satisfies(dropped(DropReason.BAD_CHECKSUM, "vhid 7: dropped advert from 10.200.0.11:"
                + " bad CARP checksum 0xb96d (expected: 0x566d); the frame was damaged on the way"));
    }

    @Test
    void aWrongIpChecksumIsDroppedAsBadChecksumWithTheExpectedValue() {
        // given: IP id changed without fixing the checksum
        byte[] frame = Frames.with(Frames.advert(Vectors.NODE_A), IP + 5, 0x49);

        // then
        assertThat(check(frame)).satisfies(dropped(DropReason.BAD_CHECKSUM, "vhid 7: dropped advert from 10.200.0.11:"
                + " bad IP checksum 0xe617 (expected: 0xe616); the frame was damaged on the way"));
    }

    @Test
    void twoWrongChecksumsAreBothNamed() {
        // given
        byte[] frame = Frames.with(Frames.with(Frames.advert(Vectors.NODE_A), CARP + 2, 99), IP + 5, 0x49);

        // then
        assertThat(check(frame)).satisfies(dropped(DropReason.BAD_CHECKSUM, "vhid 7: dropped advert from 10.200.0.11:"
                + " bad IP checksum 0xe617 (expected: 0xe616) and bad CARP checksum 0xb96d (expected: 0x566d);"
                + " the frame was damaged on the way"));
    }

    @Test
    void compensatingChecksumErrorsThatUcarpWouldPassAreDropped() {
        // given: +1 in the IP checksum field and -1 in the CARP checksum field cancel out in UCarp's joint sum
        byte[] f = Frames.advert(Vectors.NODE_A);
        f[IP + 11] = (byte) (f[IP + 11] + 1);
        f[CARP + 7] = (byte) (f[CARP + 7] - 1);
        assertThat(InetChecksum.checksum(f, IP, 56)).isZero();

        // then
        assertThat(check(f)).isInstanceOf(AdvertChain.Verdict.Dropped.class)
                .extracting(v -> ((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.BAD_CHECKSUM);
    }

    @Test
    void aWrongPasswordIsDroppedAsBadDigestWithAHint() {
        // given
        AdvertFilter other = filterFor(Vectors.NODE_B, new CarpHmac(CarpPassword.of("wrongpw")));

        // when
        AdvertChain.Verdict v = other.check(ByteBuffer.wrap(Frames.advert(Vectors.NODE_A)));

        // then
        assertThat(v).satisfies(dropped(DropReason.BAD_DIGEST,
                "vhid 7: dropped advert from 10.200.0.11: bad HMAC; check --pass, --vhid and --addr on both nodes"));
    }

    @Test
    void aWrongVipIsDroppedAsBadDigest() {
        // given
        AdvertFilter otherVip = new AdvertFilter(new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP,
                VipAddresses.of(Carp.ipv4(10, 200, 0, 101)), Frames.S3CRET), counters);

        // then
        assertThat(otherVip.check(ByteBuffer.wrap(Frames.advert(Vectors.NODE_A))))
                .extracting(v -> ((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.BAD_DIGEST);
    }

    @Test
    void theNodeWithTheWrongPasswordInCapture05IsDroppedForBadDigest() {
        // given: frame from C (wrongpw); we are A (s3cret)
        AdvertFilter nodeA = filterFor(Vectors.NODE_A, Frames.S3CRET);
        byte[] fromC = CarpCodecGoldenTest.carpFrames("05-wrong-password.pcap").stream()
                .filter(f -> ((Decoded.CarpFrame) CarpCodec.decode(f.buffer())).packet().ipSrc().equals(Vectors.NODE_C))
                .findFirst().orElseThrow().bytes();

        // then
        assertThat(nodeA.check(ByteBuffer.wrap(fromC))).extracting(v -> ((AdvertChain.Verdict.Dropped) v).reason())
                .isEqualTo(DropReason.BAD_DIGEST);
    }

    @Test
    void theCorruptedFrameOf90IsDroppedForItsTtlBeforeItsChecksums() {
        assertThat(check(Vectors.frame("90-derived-corrupted-frame4.pcap", 4).bytes()))
                .extracting(v -> ((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.BAD_TTL);
    }

    @Test
    void ttlIsCheckedBeforeTheVersion() {
        byte[] frame = Frames.fixChecksums(Frames.with(Frames.with(Frames.advert(Vectors.NODE_A), IP + 8, 64), CARP, 0x31));
        assertThat(check(frame)).extracting(v -> ((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.BAD_TTL);
    }

    @Test
    void theOwnSourceIsCheckedBeforeTheSize() {
        AdvertFilter nodeA = filterFor(Vectors.NODE_A, Frames.S3CRET);
        assertThat(nodeA.check(ByteBuffer.wrap(Frames.truncate(Frames.advert(Vectors.NODE_A), 50))))
                .extracting(v -> ((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.OWN_SOURCE);
    }

    @Test
    void ipOptionsAreTolerated() {
        // given: a 24-byte IP header (one NOP option word) in front of the CARP header
        byte[] plain = Frames.advert(Vectors.NODE_A);
        byte[] f = new byte[74];
        System.arraycopy(plain, 0, f, 0, 34);
        f[IP] = 0x46;
        f[IP + 3] = 60; // total length 24 + 36
        f[34] = 1;
        f[35] = 1;
        f[36] = 1;
        f[37] = 0;
        System.arraycopy(plain, 34, f, 38, 36);

        // when
        AdvertChain.Verdict v = check(Frames.fixChecksums(f, 24));

        // then
        assertThat(v).isInstanceOf(AdvertChain.Verdict.Accepted.class);
    }

    @Test
    void everyDropIsCountedUnderItsReason() {
        // when
        check(Frames.truncate(Frames.advert(Vectors.NODE_A), 20));
        check(Frames.truncate(Frames.advert(Vectors.NODE_A), 20));
        check(Frames.with(Frames.advert(Vectors.NODE_A), CARP + 2, 99));
        check(Frames.advert(Vectors.NODE_A));

        // then
        assertThat(counters.get(DropReason.TOO_SHORT)).isEqualTo(2);
        assertThat(counters.get(DropReason.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(counters.total()).isEqualTo(3);
        assertThat(counters.snapshot()).containsEntry(DropReason.BAD_DIGEST, 0L).hasSize(DropReason.values().length);
    }

    @Test
    void checkingDoesNotMoveTheBuffer() {
        ByteBuffer b = ByteBuffer.wrap(Frames.advert(Vectors.NODE_A));
        filter.check(b);
        assertThat(b.position()).isZero();
        assertThat(b.remaining()).isEqualTo(70);
    }
}
