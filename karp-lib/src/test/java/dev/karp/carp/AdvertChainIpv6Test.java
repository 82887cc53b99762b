package dev.karp.carp;

import static dev.karp.carp.AdvertFilterTest.dropped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.IpAddresses;
import dev.karp.testing.Vectors;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IPv6 adverts and dual-stack vhids through the encoder and the receive checks (carp-v6-unicast §4). */
class AdvertChainIpv6Test {
    static final int IP = 14;
    static final int CARP = 54;
    static final InetAddress NODE_A_LL = ip("fe80::11");
    static final InetAddress NODE_B_LL = ip("fe80::12");
    static final VipAddresses DUAL = VipAddresses.of(Vectors.VIP, ip("fd00:200::100"));

    final DropCounters counters = new DropCounters();
    /** We are node B, dual stack; adverts come from node A. */
    final AdvertFilter filter = new AdvertFilter(new AdvertFilter.Config(Set.of(Vectors.NODE_B, NODE_B_LL), 7,
            Set.of(Carp.DEFAULT_GROUP, Carp.DEFAULT_GROUP_IPV6), DUAL, Frames.S3CRET), counters);

    static InetAddress ip(String literal) {
        return IpAddresses.parse(literal).orElseThrow();
    }

    static CarpSender ipv6Sender(InetAddress source) {
        return new CarpSender(source, Destination.IPV6_GROUP, DUAL, Frames.S3CRET);
    }

    static byte[] advert(InetAddress source) {
        return CarpCodec.encode(ipv6Sender(source), new Advert(7, 1, 0, 0x4b24a82ce5200b7cL), 0);
    }

    AdvertChain.Verdict check(byte[] frame) {
        return filter.check(ByteBuffer.wrap(frame));
    }

    /** Recomputes the CARP checksum of an IPv6 advert. */
    static byte[] fixChecksum(byte[] frame) {
        byte[] f = frame.clone();
        f[CARP + 6] = 0;
        f[CARP + 7] = 0;
        int c = InetChecksum.checksum(f, CARP, 36);
        f[CARP + 6] = (byte) (c >>> 8);
        f[CARP + 7] = (byte) c;
        return f;
    }

    @Test
    void anIpv6AdvertIsEncodedAsDesigned() {
        byte[] f = advert(NODE_A_LL);

        assertThat(f).hasSize(90);
        assertThat(MacAddress.of(f, 0)).isEqualTo(MacAddress.parse("33:33:00:00:00:12"));
        assertThat(MacAddress.of(f, 6)).isEqualTo(Carp.virtualMac(7));
        assertThat(Vectors.hex("86dd 6e000000 0024 70 ff")).isEqualTo(java.util.Arrays.copyOfRange(f, 12, 22));
        assertThat(InetChecksum.checksum(f, CARP, 36)).isZero();
    }

    @Test
    void decodeOfEncodeGivesBackTheIpv6Advert() {
        CarpSender sender = ipv6Sender(NODE_A_LL);
        Advert advert = new Advert(7, 3, 42, -5L);

        Decoded d = CarpCodec.decode(CarpCodec.encode(sender, advert, 0));

        assertThat(d).isInstanceOf(Decoded.CarpFrame.class);
        CarpPacket p = ((Decoded.CarpFrame) d).packet();
        CarpPacket expected = new CarpPacket(Carp.virtualMac(7), MacAddress.parse("33:33:00:00:00:12"), NODE_A_LL,
                Carp.DEFAULT_GROUP_IPV6, 0xe0, 0, false, 255, 0, 2, 1, 7, 42, 7, 0, 3, p.carpChecksum(), -5L,
                Frames.S3CRET.digest(7, DUAL, -5L));
        assertThat(p).isEqualTo(expected);
        assertThat(((Decoded.CarpFrame) d).checksumsOk()).isTrue();
    }

    @Test
    void aDualStackMasterSendsBothFamiliesWithTheSameDigestAndEitherIsAccepted() {
        // given: one sender per family, same addresses, password and counter
        CarpSender v4 = new CarpSender(Vectors.NODE_A, Carp.DEFAULT_GROUP, false, DUAL, Frames.S3CRET);
        CarpSender v6 = ipv6Sender(NODE_A_LL);
        Advert advert = new Advert(7, 1, 0, 99);

        // when
        AdvertChain.Verdict a4 = check(CarpCodec.encode(v4, advert, 1));
        AdvertChain.Verdict a6 = check(CarpCodec.encode(v6, advert, 1));

        // then
        assertThat(a4).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        assertThat(a6).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        CarpPacket p4 = ((AdvertChain.Verdict.Accepted) a4).packet();
        CarpPacket p6 = ((AdvertChain.Verdict.Accepted) a6).packet();
        assertThat(p4.digest()).isEqualTo(p6.digest());
        assertThat(p4.ipSrc()).isEqualTo(Vectors.NODE_A);
        assertThat(p6.ipSrc()).isEqualTo(NODE_A_LL);
        assertThat(counters.total()).isZero();
    }

    @Test
    void aUnicastDestinationChangesOnlyTheDestinations() {
        CarpSender sender = ipv6Sender(NODE_A_LL);
        Destination peer = new Destination(ip("fd00:200::12"), MacAddress.parse("02:00:00:00:00:12"));
        Advert advert = new Advert(7, 1, 0, 1);
        byte[] group = CarpCodec.encode(sender, advert, 0);
        byte[] unicast = new byte[90];

        CarpCodec.encode(sender, peer, advert, 0, unicast, 0);

        assertThat(MacAddress.of(unicast, 0)).isEqualTo(peer.mac());
        assertThat(java.util.Arrays.copyOfRange(unicast, IP + 24, IP + 40)).isEqualTo(peer.ip().getAddress());
        assertThat(java.util.Arrays.copyOfRange(unicast, 6, IP + 24)).isEqualTo(java.util.Arrays.copyOfRange(group, 6, IP + 24));
        assertThat(java.util.Arrays.copyOfRange(unicast, CARP, 90)).isEqualTo(java.util.Arrays.copyOfRange(group, CARP, 90));
        assertThat(CarpCodec.encode(sender.to(peer), advert, 0)).isEqualTo(unicast);
    }

    @Test
    void ourOwnLinkLocalIsDroppedAsOwnSource() {
        assertThat(check(advert(NODE_B_LL))).satisfies(dropped(DropReason.OWN_SOURCE, "vhid 7: dropped advert from fe80::12:"
                + " the source is our own link-local address (our advert looped back, or another node uses the same address)"));
    }

    @Test
    void aHopLimitBelow255IsABadTtl() {
        assertThat(check(Frames.with(advert(NODE_A_LL), IP + 7, 64))).satisfies(dropped(DropReason.BAD_TTL,
                "vhid 7: dropped advert from fe80::11: bad hop limit 64 (expected: 255);"
                        + " CARP nodes must share one link, with no router between them"));
    }

    @Test
    void anExtensionHeaderBeforeCarpIsNotCarp() {
        assertThat(check(Frames.with(advert(NODE_A_LL), IP + 6, 0))).satisfies(dropped(DropReason.NOT_CARP,
                "vhid 7: dropped packet from fe80::11: IPv6 next header 0 (expected: 112 directly after the fixed header)"));
    }

    @Test
    void aShortIpv6FrameIsTooShortOrABogusSize() {
        assertThat(check(Frames.truncate(advert(NODE_A_LL), 50)))
                .satisfies(dropped(DropReason.TOO_SHORT, "vhid 7: dropped frame: short frame: 50 bytes (expected: 90)"));
        assertThat(check(Frames.truncate(advert(NODE_A_LL), 89)))
                .satisfies(dropped(DropReason.BOGUS_SIZE, "vhid 7: dropped advert from fe80::11: short frame: 89 bytes (expected: 90)"));
    }

    @Test
    void ipVersion4BehindTheIpv6EthertypeIsNotIpv6() {
        assertThat(check(Frames.with(advert(NODE_A_LL), IP, 0x45)))
                .satisfies(dropped(DropReason.NOT_IPV4, "vhid 7: dropped frame: not IPv6: IP version 4 (expected: 6)"));
    }

    @Test
    void anotherVhidAndAnotherGroupAreDropped() {
        assertThat(check(fixChecksum(Frames.with(advert(NODE_A_LL), CARP + 1, 8)))).satisfies(dropped(DropReason.OTHER_VHID,
                "vhid 7: dropped advert from fe80::11: vhid 8 (expected: 7); another virtual host shares this link"));
        byte[] otherGroup = CarpCodec.encode(ipv6Sender(NODE_A_LL).to(Destination.group(ip("ff02::13"))), new Advert(7, 1, 0, 1), 0);
        assertThat(check(otherGroup)).satisfies(dropped(DropReason.OTHER_GROUP, "vhid 7: dropped advert from fe80::11:"
                + " destination ff02::13 (expected: 224.0.0.18 or ff02::12); check the multicast group on both nodes"));
    }

    @Test
    void anIpv4OnlyReceiverDropsIpv6AdvertsAsAnotherGroup() {
        AdvertFilter v4only = new AdvertFilter(new AdvertFilter.Config(Vectors.NODE_B, 7, Carp.DEFAULT_GROUP, DUAL,
                Frames.S3CRET), counters);

        assertThat(v4only.check(ByteBuffer.wrap(advert(NODE_A_LL)))).satisfies(dropped(DropReason.OTHER_GROUP,
                "vhid 7: dropped advert from fe80::11: destination ff02::12 (expected: 224.0.0.18);"
                        + " check the multicast group on both nodes"));
    }

    @Test
    void aDamagedAdvertIsABadCarpChecksumAlone() {
        byte[] f = Frames.with(advert(NODE_A_LL), CARP + 5, 2);
        byte[] right = fixChecksum(f);

        AdvertChain.Verdict v = check(f);

        assertThat(v).satisfies(dropped(DropReason.BAD_CHECKSUM, "vhid 7: dropped advert from fe80::11: bad CARP checksum 0x"
                + java.util.HexFormat.of().formatHex(f, CARP + 6, CARP + 8) + " (expected: 0x"
                + java.util.HexFormat.of().formatHex(right, CARP + 6, CARP + 8) + "); the frame was damaged on the way"));
        assertThat(((Decoded.CarpFrame) v.decoded()).carpChecksumOk()).isFalse();
        assertThat(((Decoded.CarpFrame) v.decoded()).ipChecksumOk()).isTrue();
    }

    @Test
    void anAdvertOverOtherAddressesIsABadHmac() {
        CarpSender other = new CarpSender(NODE_A_LL, Destination.IPV6_GROUP, VipAddresses.of(ip("fd00:200::100")), Frames.S3CRET);

        AdvertChain.Verdict v = check(CarpCodec.encode(other, new Advert(7, 1, 0, 1), 0));

        assertThat(v).satisfies(dropped(DropReason.BAD_DIGEST,
                "vhid 7: dropped advert from fe80::11: bad HMAC; check --pass, --vhid and --addr on both nodes"));
        assertThat(((AdvertChain.Verdict.Dropped) v).source()).contains(NODE_A_LL);
        assertThat(((Decoded.CarpFrame) v.decoded()).packet().ipSrc()).isEqualTo(NODE_A_LL);
    }

    @Test
    void decodeNeedsNoConfigurationForIpv6Either() {
        assertThat(CarpCodec.decode(advert(NODE_B_LL))).isInstanceOf(Decoded.CarpFrame.class);
    }
}
