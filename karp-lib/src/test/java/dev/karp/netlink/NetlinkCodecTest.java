package dev.karp.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests and answers as bytes, written out by hand field by field. Netlink headers are in
 * native order; these bytes are little-endian (x86-64, arm64), so the class is skipped elsewhere.
 */
class NetlinkCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Inet4Address VIP = inet4(10, 200, 0, 100);
    private static final java.net.Inet6Address VIP6 =
            (java.net.Inet6Address) dev.karp.net.IpAddresses.parse("fd00:200::100").orElseThrow();

    @BeforeAll
    static void littleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "expected bytes are little-endian");
    }

    @Test
    void newAddressIsWhatIpAddrAddSends() {
        byte[] expected = hex(""
                + "30000000" // nlmsg_len 48
                + "1400" // nlmsg_type RTM_NEWADDR (20)
                + "0506" // nlmsg_flags REQUEST|ACK|EXCL|CREATE (0x605)
                + "07000000" // nlmsg_seq 7
                + "00000000" // nlmsg_pid 0 (the kernel)
                + "02" + "18" + "00" + "00" // ifa_family AF_INET, ifa_prefixlen 24, ifa_flags 0, ifa_scope universe
                + "02000000" // ifa_index 2
                + "0800" + "0200" + "0ac80064" // IFA_LOCAL 10.200.0.100
                + "0800" + "0100" + "0ac80064" // IFA_ADDRESS 10.200.0.100
                + "0800" + "0400" + "0ac800ff"); // IFA_BROADCAST 10.200.0.255

        byte[] actual = NetlinkCodec.newAddress(7, 2, VIP, 24);

        assertThat(HEX.formatHex(actual)).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void newAddressForASlash31OrSlash32HasNoBroadcast() {
        assertThat(NetlinkCodec.newAddress(1, 2, VIP, 32)).hasSize(40);
        assertThat(NetlinkCodec.newAddress(1, 2, VIP, 31)).hasSize(40);
        assertThat(NetlinkCodec.newAddress(1, 2, VIP, 30)).hasSize(48);
    }

    @Test
    void newAddressRejectsAPrefixOutOfRange() {
        assertThatThrownBy(() -> NetlinkCodec.newAddress(1, 2, VIP, 33))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length 33 is out of range (expected: 0..32)");
    }

    @Test
    void deleteAddressNamesOnlyTheLocalAddressSoAnyPrefixMatches() {
        byte[] expected = hex(""
                + "20000000" // nlmsg_len 32
                + "1500" // RTM_DELADDR (21)
                + "0500" // REQUEST|ACK
                + "08000000" // seq 8
                + "00000000" // pid
                + "02000000" // AF_INET, prefixlen 0 (not compared without IFA_ADDRESS), flags, scope
                + "02000000" // ifa_index 2
                + "0800" + "0200" + "0ac80064"); // IFA_LOCAL 10.200.0.100

        assertThat(HEX.formatHex(NetlinkCodec.deleteAddress(8, 2, VIP))).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void getLinkByNameCarriesTheNameAsIflaIfname() {
        byte[] expected = hex(""
                + "2c000000" // nlmsg_len 44
                + "1200" // RTM_GETLINK (18)
                + "0100" // REQUEST
                + "03000000" // seq 3
                + "00000000" // pid
                + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000" // ifinfomsg: AF_UNSPEC, index 0
                + "0900" + "0300" + "6574683000" + "000000"); // IFLA_IFNAME "eth0\0", padded to 4

        assertThat(HEX.formatHex(NetlinkCodec.getLink(3, "eth0"))).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void dumpsAskForEveryLinkAndEveryIpv4Address() {
        List<NetlinkMessage> links = NetlinkCodec.split(NetlinkCodec.dumpLinks(5), 32);
        List<NetlinkMessage> addrs = NetlinkCodec.split(NetlinkCodec.dumpAddresses(6), 24);

        assertThat(links).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(Rtnetlink.RTM_GETLINK);
            assertThat(m.flags()).isEqualTo(Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_DUMP);
        });
        assertThat(addrs).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(Rtnetlink.RTM_GETADDR);
            assertThat(m.payload()[0]).isEqualTo((byte) Rtnetlink.AF_INET);
        });
    }

    @Test
    void anAckIsAnErrorMessageWithStatusZero() {
        byte[] ack = hex("24000000" + "0200" + "0001" + "07000000" + "39300000" // NLMSG_ERROR, seq 7
                + "00000000" // error 0
                + "30000000140005060700000000000000"); // the request's header

        NetlinkMessage m = NetlinkCodec.split(ack, ack.length).get(0);

        assertThat(m.type()).isEqualTo(Rtnetlink.NLMSG_ERROR);
        assertThat(m.seq()).isEqualTo(7);
        assertThat(NetlinkCodec.errno(m)).isZero();
    }

    @Test
    void aRefusalCarriesTheNegatedErrno() {
        byte[] eexist = hex("24000000" + "0200" + "0000" + "07000000" + "00000000"
                + "efffffff" // -17 = -EEXIST
                + "30000000140005060700000000000000");

        NetlinkMessage m = NetlinkCodec.split(eexist, eexist.length).get(0);

        assertThat(NetlinkCodec.errno(m)).isEqualTo(Errno.EEXIST.number());
    }

    @Test
    void anAddressAnswerIsDecodedWithPrefixBroadcastAndLabel() {
        byte[] newaddr = hex(""
                + "4c000000" + "1400" + "0200" + "09000000" + "39300000" // len 76, RTM_NEWADDR, MULTI, seq 9
                + "02" + "18" + "80" + "00" + "02000000" // AF_INET /24 IFA_F_PERMANENT scope 0, index 2
                + "0800" + "0100" + "0ac8000b" // IFA_ADDRESS 10.200.0.11
                + "0800" + "0200" + "0ac8000b" // IFA_LOCAL 10.200.0.11
                + "0800" + "0400" + "0ac800ff" // IFA_BROADCAST 10.200.0.255
                + "0900" + "0300" + "6574683000" + "000000" // IFA_LABEL "eth0"
                + "0800" + "0800" + "80000000" // IFA_FLAGS
                + "0800" + "0600" + "ffffffff"); // IFA_CACHEINFO, cut short: skipped like any unknown attribute

        List<NetlinkMessage> ms = NetlinkCodec.split(newaddr, newaddr.length);
        Optional<AddressInfo> a = NetlinkCodec.parseAddress(ms.get(0));

        assertThat(a).hasValueSatisfying(info -> {
            assertThat(info.index()).isEqualTo(2);
            assertThat(info.prefixLength()).isEqualTo(24);
            assertThat(info.scope()).isEqualTo(Rtnetlink.RT_SCOPE_UNIVERSE);
            assertThat(info.local().getHostAddress()).isEqualTo("10.200.0.11");
            assertThat(info.broadcast()).map(Inet4Address::getHostAddress).hasValue("10.200.0.255");
            assertThat(info.label()).isEqualTo("eth0");
        });
    }

    @Test
    void anIpv6AddressAnswerIsSkipped() {
        byte[] inet6 = hex("18000000" + "1400" + "0200" + "09000000" + "00000000"
                + "0a" + "40" + "00" + "fd" + "02000000"); // AF_INET6 /64 scope link

        NetlinkMessage m = NetlinkCodec.split(inet6, inet6.length).get(0);

        assertThat(NetlinkCodec.parseAddress(m)).isEmpty();
    }

    @Test
    void aLinkAnswerIsDecodedWithNameFlagsAndMac() {
        byte[] newlink = hex(""
                + "38000000" + "1000" + "0000" + "03000000" + "00000000" // len 56, RTM_NEWLINK, seq 3
                + "00" + "00" + "0100" + "02000000" + "43100100" + "00000000" // ARPHRD_ETHER, index 2, flags
                + "0900" + "0300" + "6574683000" + "000000" // IFLA_IFNAME "eth0"
                + "0a00" + "0100" + "020000000011" + "0000"); // IFLA_ADDRESS 02:00:00:00:00:11

        LinkInfo l = NetlinkCodec.parseLink(NetlinkCodec.split(newlink, newlink.length).get(0));

        assertThat(l.index()).isEqualTo(2);
        assertThat(l.name()).isEqualTo("eth0");
        assertThat(l.flags()).isEqualTo(0x11043); // UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        assertThat(l.isUp()).isTrue();
        assertThat(l.isRunning()).isTrue();
        assertThat(HEX.formatHex(l.hardwareAddress())).isEqualTo("020000000011");
    }

    @Test
    void oneDatagramCanCarrySeveralMessages() {
        byte[] two = hex("14000000" + "0300" + "0200" + "05000000" + "00000000" + "00000000" // NLMSG_DONE
                + "14000000" + "0300" + "0200" + "06000000" + "00000000" + "00000000");

        List<NetlinkMessage> ms = NetlinkCodec.split(two, two.length);

        assertThat(ms).extracting(NetlinkMessage::seq).containsExactly(5, 6);
        assertThat(ms).allSatisfy(m -> assertThat(m.type()).isEqualTo(Rtnetlink.NLMSG_DONE));
    }

    @Test
    void aLengthRunningPastTheDataIsRejected() {
        byte[] bad = hex("40000000" + "0300" + "0200" + "05000000" + "00000000" + "00000000");

        assertThatThrownBy(() -> NetlinkCodec.split(bad, bad.length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad netlink message length 64 at offset 0 (expected: 16..20)");
    }

    @Test
    void anIpv6AddressIsAddedWithNodadInTheFlagsByteAndNoBroadcast() {
        byte[] expected = hex(""
                + "40000000" + "1400" + "0506" + "07000000" + "00000000" // len 64, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                + "0a" + "40" + "02" + "00" + "02000000" // AF_INET6 /64 IFA_F_NODAD scope universe, index 2
                + "1400" + "0200" + "fd000200000000000000000000000100" // IFA_LOCAL fd00:200::100
                + "1400" + "0100" + "fd000200000000000000000000000100"); // IFA_ADDRESS fd00:200::100

        byte[] actual = NetlinkCodec.newAddress(7, 2, VIP6, 64, Rtnetlink.INFINITY_LIFE_TIME,
                Rtnetlink.INFINITY_LIFE_TIME, false);

        assertThat(HEX.formatHex(actual)).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void aLifetimeGoesInCacheinfoPreferredFirstAndReplaceSwapsExclForReplace() {
        byte[] expected = hex(""
                + "44000000" + "1400" + "0505" + "08000000" + "00000000" // len 68, REQUEST|ACK|REPLACE|CREATE (0x505)
                + "02" + "18" + "00" + "00" + "02000000"
                + "0800" + "0200" + "0ac80064" + "0800" + "0100" + "0ac80064" + "0800" + "0400" + "0ac800ff"
                + "1400" + "0600" + "02000000" + "03000000" + "00000000" + "00000000"); // IFA_CACHEINFO prefered 2 valid 3

        byte[] actual = NetlinkCodec.newAddress(8, 2, VIP, 24, 3, 2, true);

        assertThat(HEX.formatHex(actual)).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void lifetimesTheKernelWouldRefuseAreRejected() {
        assertThatThrownBy(() -> NetlinkCodec.newAddress(1, 2, VIP, 24, 0, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("valid lifetime 0 s is out of range");
        assertThatThrownBy(() -> NetlinkCodec.newAddress(1, 2, VIP, 24, 2, 3, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("preferred lifetime 3 s is out of range (expected: 0..2, at most the valid lifetime)");
        assertThatThrownBy(() -> NetlinkCodec.newAddress(1, 2, VIP6, 129, 2, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..128");
    }

    @Test
    void anIpv6DeleteNamesTheAddressAndItsPrefix() {
        byte[] expected = hex(""
                + "2c000000" + "1500" + "0500" + "09000000" + "00000000" // len 44, RTM_DELADDR, REQUEST|ACK
                + "0a" + "80" + "00" + "00" + "02000000" // AF_INET6 /128
                + "1400" + "0100" + "fd000200000000000000000000000100"); // IFA_ADDRESS

        assertThat(HEX.formatHex(NetlinkCodec.deleteAddress(9, 2, VIP6, 128))).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void anIpv6AnswerIsDecodedWithItsFlagsAndLifetimes() {
        byte[] newaddr = hex(""
                + "48000000" + "1400" + "0200" + "09000000" + "00000000" // len 72
                + "0a" + "40" + "02" + "00" + "02000000" // AF_INET6 /64 nodad, index 2
                + "1400" + "0100" + "fd000200000000000000000000000100" // IFA_ADDRESS
                + "1400" + "0600" + "02000000" + "03000000" + "10000000" + "20000000" // IFA_CACHEINFO 2 / 3
                + "0800" + "0800" + "42000000"); // IFA_FLAGS nodad|tentative

        Optional<AddressInfo> a = NetlinkCodec.parseAddress(NetlinkCodec.split(newaddr, newaddr.length).get(0));

        assertThat(a).hasValueSatisfying(info -> {
            assertThat(info.local()).isEqualTo(VIP6);
            assertThat(info.isIpv6()).isTrue();
            assertThat(info.prefixLength()).isEqualTo(64);
            assertThat(info.preferredLifetime()).isEqualTo(2);
            assertThat(info.validLifetime()).isEqualTo(3);
            assertThat(info.isTentative()).isTrue();
            assertThat(info.broadcast()).isEmpty();
        });
    }

    @Test
    void useNeighbourIsWhatIpNeighReplaceUseSends() {
        byte[] expected = hex(""
                + "24000000" + "1c00" + "0505" + "0a000000" + "00000000" // len 36, RTM_NEWNEIGH, REQUEST|ACK|REPLACE|CREATE
                + "02" + "00" + "0000" + "02000000" + "0000" + "01" + "00" // AF_INET, index 2, state 0, NTF_USE
                + "0800" + "0100" + "0ac80064"); // NDA_DST 10.200.0.100

        assertThat(HEX.formatHex(NetlinkCodec.useNeighbour(10, 2, VIP))).isEqualTo(HEX.formatHex(expected));
    }

    @Test
    void aNeighbourAnswerIsDecodedWithItsMacAndState() {
        byte[] newneigh = hex(""
                + "3c000000" + "1c00" + "0200" + "0b000000" + "00000000" // len 60, RTM_NEWNEIGH
                + "0a" + "00" + "0000" + "02000000" + "0400" + "00" + "01" // AF_INET6, index 2, NUD_STALE
                + "1400" + "0100" + "fd000200000000000000000000000100" // NDA_DST
                + "0a00" + "0200" + "020000000012" + "0000"); // NDA_LLADDR 02:00:00:00:00:12

        Optional<NeighbourInfo> n = NetlinkCodec.parseNeighbour(NetlinkCodec.split(newneigh, newneigh.length).get(0));

        assertThat(n).hasValueSatisfying(e -> {
            assertThat(e.index()).isEqualTo(2);
            assertThat(e.address()).isEqualTo(VIP6);
            assertThat(e.mac()).hasValueSatisfying(m -> assertThat(HEX.formatHex(m)).isEqualTo("020000000012"));
            assertThat(e.state()).isEqualTo(Rtnetlink.NUD_STALE);
            assertThat(e.isUsable()).isTrue();
        });
    }

    @Test
    void anIncompleteNeighbourIsNotUsable() {
        byte[] incomplete = hex("24000000" + "1c00" + "0200" + "0b000000" + "00000000"
                + "02" + "00" + "0000" + "02000000" + "0100" + "00" + "01" // AF_INET, NUD_INCOMPLETE
                + "0800" + "0100" + "0ac80063"); // NDA_DST 10.200.0.99, no NDA_LLADDR

        Optional<NeighbourInfo> n = NetlinkCodec.parseNeighbour(NetlinkCodec.split(incomplete, incomplete.length).get(0));

        assertThat(n).hasValueSatisfying(e -> {
            assertThat(e.mac()).isEmpty();
            assertThat(e.isUsable()).isFalse();
        });
    }

    @Test
    void broadcastSetsEveryHostBit() {
        assertThat(HEX.formatHex(NetlinkCodec.broadcast(VIP.getAddress(), 24))).isEqualTo("0ac800ff");
        assertThat(HEX.formatHex(NetlinkCodec.broadcast(VIP.getAddress(), 16))).isEqualTo("0ac8ffff");
        assertThat(HEX.formatHex(NetlinkCodec.broadcast(VIP.getAddress(), 0))).isEqualTo("ffffffff");
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    private static Inet4Address inet4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
