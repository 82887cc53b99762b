package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.IpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The self-consistency vectors V1–V4 of the wire reference (carp-v6-unicast §7): computed from the
 * FreeBSD and OpenBSD HMAC and checksum code, not captured from a BSD host. Password {@code secret},
 * counter 0x0123456789abcdef, advbase 1.
 */
class CarpIpv6GoldenTest {
    static final HexFormat HEX = HexFormat.of();
    static final CarpHmac SECRET = new CarpHmac(CarpPassword.of("secret"));
    static final long COUNTER = 0x0123456789abcdefL;

    static InetAddress ip(String literal) {
        return IpAddresses.parse(literal).orElseThrow();
    }

    static byte[] hex(String hex) {
        return HEX.parseHex(hex.replaceAll("\\s+", ""));
    }

    /** The 36-byte CARP header of an advert, as encoded over IPv6. */
    static byte[] carpHeader(CarpHmac hmac, VipAddresses vips, int vhid, int advskew) {
        CarpSender sender = new CarpSender(ip("fe80::2"), Destination.IPV6_GROUP, vips, hmac);
        byte[] frame = CarpCodec.encode(sender, new Advert(vhid, 1, advskew, COUNTER), 0);
        return Arrays.copyOfRange(frame, 54, 90);
    }

    // V1: IPv6 only, vhid 1, VIP 2001:db8::1, advskew 0.
    static final VipAddresses V1 = VipAddresses.of(ip("2001:db8::1"));

    @Test
    void v1TheHmacCoversTheIpv6VipAsSixteenBytes() {
        assertThat(HEX.formatHex(CarpHmac.message(1, V1, COUNTER)))
                .isEqualTo("020101" + "20010db8000000000000000000000001" + "0123456789abcdef");
        assertThat(HEX.formatHex(SECRET.digest(1, V1, COUNTER))).isEqualTo("5d59a778cee10f2713156573bca724f92c357978");
    }

    @Test
    void v1TheCarpHeaderAndItsChecksum() {
        byte[] header = carpHeader(SECRET, V1, 1, 0);

        assertThat(HEX.formatHex(header))
                .isEqualTo("21010007" + "00015e1f" + "0123456789abcdef" + "5d59a778cee10f2713156573bca724f92c357978");
        assertThat(InetChecksum.checksum(header, 0, 36)).isZero();
    }

    // V2: vhid 5, advskew 100, given out of order: v4 {192.0.2.10, 192.0.2.2}, v6 {2001:db8::20, fe80::1, 2001:db8::3}.
    static final VipAddresses V2 = VipAddresses.of(ip("2001:db8::20"), ip("192.0.2.10"), ip("fe80::1"), ip("192.0.2.2"),
            ip("2001:db8::3"));

    @Test
    void v2aIpv4NumericallyThenIpv6BytewiseWithTheLinkLocalLast() {
        assertThat(HEX.formatHex(CarpHmac.message(5, V2, COUNTER))).isEqualTo("020105"
                + "c0000202" + "c000020a"
                + "20010db8000000000000000000000003" + "20010db8000000000000000000000020" + "fe800000000000000000000000000001"
                + "0123456789abcdef");
        assertThat(HEX.formatHex(SECRET.digest(5, V2, COUNTER))).isEqualTo("bde9a4fbab04d9328b70db3e09570343b94e599a");
        byte[] header = carpHeader(SECRET, V2, 5, 100);
        assertThat(HEX.formatHex(header, 6, 8)).isEqualTo("6f7d");
        assertThat(HEX.formatHex(header)).isEqualTo("21056407" + "00016f7d" + "0123456789abcdef"
                + "bde9a4fbab04d9328b70db3e09570343b94e599a");
    }

    @Test
    void v2bWhatOpenBsdSendsLeavesTheLinkLocalOutAndIsAcceptedToo() {
        // OpenBSD sends HMAC_NOV6LL and accepts either form; karp sends the FreeBSD form (V2a) and, like
        // OpenBSD, accepts both. Link-local VIPs still do not work in mixed clusters (docs/protocol.md).
        byte[] openBsd = hex("ab34500b0407789435089ac37ee276507c8aad61");
        VipAddresses withoutLinkLocal = VipAddresses.of(ip("192.0.2.10"), ip("192.0.2.2"), ip("2001:db8::20"), ip("2001:db8::3"));

        assertThat(SECRET.digest(5, withoutLinkLocal, COUNTER)).isEqualTo(openBsd);
        assertThat(HEX.formatHex(carpHeader(SECRET, withoutLinkLocal, 5, 100), 6, 8)).isEqualTo("7606");
        assertThat(SECRET.verify(5, V2, COUNTER, openBsd)).isTrue();
        assertThat(SECRET.verify(5, V2, COUNTER, SECRET.digest(5, V2, COUNTER))).isTrue();
        assertThat(SECRET.digest(5, V2, COUNTER)).isNotEqualTo(openBsd);
        assertThat(SECRET.verify(5, V2, COUNTER + 1, openBsd)).isFalse();
        // The other way round: a set without link-locals does not take a digest that covers one.
        assertThat(SECRET.verify(5, withoutLinkLocal, COUNTER, hex("bde9a4fbab04d9328b70db3e09570343b94e599a"))).isFalse();
    }

    @Test
    void v3OneIpv4VipIsUcarpsFifteenByteMessage() {
        VipAddresses v3 = VipAddresses.of(ip("10.0.0.1"));

        assertThat(HEX.formatHex(CarpHmac.message(10, v3, COUNTER))).isEqualTo("02010a" + "0a000001" + "0123456789abcdef")
                .hasSize(2 * CarpHmac.MESSAGE_LEN);
        assertThat(HEX.formatHex(SECRET.digest(10, v3, COUNTER))).isEqualTo("8461517df2e910d8098c4e930fd763e2fe037005");
        CarpSender sender = new CarpSender(Carp.ipv4(10, 0, 0, 2), Carp.DEFAULT_GROUP, false, v3, SECRET);
        byte[] frame = CarpCodec.encode(sender, new Advert(10, 1, 0, COUNTER), 0);
        assertThat(HEX.formatHex(frame, 34, 70))
                .isEqualTo("210a0007" + "00012d45" + "0123456789abcdef" + "8461517df2e910d8098c4e930fd763e2fe037005");
    }

    @Test
    void v4AnEmptyBsdPasswordIsTwentyZeroBytes() {
        // karp refuses an empty password (as UCarp does); the BSD kernels key with 20 zero bytes then.
        CarpHmac empty = new CarpHmac(new byte[20]);

        assertThat(HEX.formatHex(empty.digest(1, V1, COUNTER))).isEqualTo("b7a0f5ab018c89bbc54d7a90d48ae8a96d3459d5");
        assertThat(HEX.formatHex(carpHeader(empty, V1, 1, 0), 6, 8)).isEqualTo("4420");
    }

    @Test
    void theCarpChecksumDoesNotDependOnTheIpv6SourceOrDestination() {
        // given: V1 from two sources to two destinations
        CarpSender a = new CarpSender(ip("fe80::2"), Destination.IPV6_GROUP, V1, SECRET);
        CarpSender b = new CarpSender(ip("fd00:200::11"), Destination.group(ip("ff02::1234")), V1, SECRET);
        Advert advert = new Advert(1, 1, 0, COUNTER);

        // when
        byte[] fa = CarpCodec.encode(a, advert, 0);
        byte[] fb = CarpCodec.encode(b, advert, 0);

        // then: the CARP bytes are the same, and a pseudo-header would have given 0x5ff3 (the wrong value)
        assertThat(Arrays.copyOfRange(fa, 54, 90)).isEqualTo(Arrays.copyOfRange(fb, 54, 90));
        assertThat(HEX.formatHex(fa, 60, 62)).isEqualTo("5e1f");
        byte[] carpWithZeroSum = Arrays.copyOfRange(fa, 54, 90);
        carpWithZeroSum[6] = 0;
        carpWithZeroSum[7] = 0;
        long pseudo = InetChecksum.sum(hex("fe800000000000000000000000000002" + "ff020000000000000000000000000012"), 0, 32, 0)
                + 36 + Carp.IPPROTO_CARP;
        assertThat(InetChecksum.finish(InetChecksum.sum(carpWithZeroSum, 0, 36, pseudo))).isEqualTo(0x5ff3);
    }

    /** The reference's full V1 frame, FreeBSD-style: its Ethernet source is the BSD virtual MAC 00:00:5e:00:01:01. */
    static final String FREEBSD_V1_FRAME = "333300000012 00005e000101 86dd"
            + "6e000000 0024 70 ff fe800000000000000000000000000002 ff020000000000000000000000000012"
            + "2101000700015e1f0123456789abcdef5d59a778cee10f2713156573bca724f92c357978";

    @Test
    void karpEncodesTheReferenceFrameWithUcarpsVirtualMacAsSource() {
        CarpSender sender = new CarpSender(ip("fe80::2"), Destination.IPV6_GROUP, V1, SECRET);

        byte[] frame = CarpCodec.encode(sender, new Advert(1, 1, 0, COUNTER), 0);

        // design: karp's IPv6 adverts come from UCarp's 00:00:5e:00:00:vhid like its IPv4 ones; BSD receivers ignore it
        assertThat(HEX.formatHex(frame)).isEqualTo(FREEBSD_V1_FRAME.replace(" ", "").replace("00005e000101", "00005e000001"));
        assertThat(frame).hasSize(Carp.FRAME_LEN_IPV6);
    }

    @Test
    void theFreeBsdFrameIsAcceptedAndDecoded() {
        AdvertFilter filter = new AdvertFilter(new AdvertFilter.Config(Set.of(ip("fe80::1")), 1,
                Set.of(Carp.DEFAULT_GROUP_IPV6), V1, SECRET), new DropCounters());

        AdvertChain.Verdict verdict = filter.check(ByteBuffer.wrap(hex(FREEBSD_V1_FRAME)));

        assertThat(verdict).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        CarpPacket p = ((AdvertChain.Verdict.Accepted) verdict).packet();
        assertThat(p.isIpv6()).isTrue();
        assertThat(p.ipSrc()).isEqualTo(ip("fe80::2")).isInstanceOf(Inet6Address.class);
        assertThat(p.ipDst()).isEqualTo(Carp.DEFAULT_GROUP_IPV6);
        assertThat(p.tos()).isEqualTo(0xe0);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.ethSrc()).isEqualTo(MacAddress.parse("00:00:5e:00:01:01"));
        assertThat(p.counter()).isEqualTo(COUNTER);
        assertThat(p.carpChecksum()).isEqualTo(0x5e1f);
        Decoded.CarpFrame f = ((AdvertChain.Verdict.Accepted) verdict).frame();
        assertThat(List.of(f.ipHeaderLength(), f.ipTotalLength(), f.frameLength())).containsExactly(40, 76, 90);
        assertThat(f.checksumsOk()).isTrue();
        assertThat(AdvertFormat.line(f, DigestStatus.VALID))
                .isEqualTo("fe80::2 > ff02::12 vhid=1 advbase=1 advskew=0 counter=81985529216486895 hmac=valid ttl=255 sum=ok");
    }
}
