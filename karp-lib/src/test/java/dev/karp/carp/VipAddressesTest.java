package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.net.IpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VipAddressesTest {
    static InetAddress ip(String literal) {
        return IpAddresses.parse(literal).orElseThrow();
    }

    @Test
    void ipv4IsSortedAsUnsignedNumbersNotAsText() {
        VipAddresses v = VipAddresses.of(ip("192.0.2.10"), ip("10.0.0.1"), ip("192.0.2.2"), ip("200.0.0.1"));

        assertThat(List.<InetAddress>copyOf(v.ipv4())).containsExactly(ip("10.0.0.1"), ip("192.0.2.2"), ip("192.0.2.10"), ip("200.0.0.1"));
        assertThat(v.hasIpv4()).isTrue();
        assertThat(v.hasIpv6()).isFalse();
    }

    @Test
    void ipv6IsSortedBytewiseAfterIpv4() {
        VipAddresses v = VipAddresses.of(ip("fe80::1"), ip("2001:db8::20"), ip("10.0.0.1"), ip("2001:db8::3"));

        assertThat(List.<InetAddress>copyOf(v.ipv6())).containsExactly(ip("2001:db8::3"), ip("2001:db8::20"), ip("fe80::1"));
        assertThat(v.all()).containsExactly(ip("10.0.0.1"), ip("2001:db8::3"), ip("2001:db8::20"), ip("fe80::1"));
        assertThat(v).hasToString("10.0.0.1,2001:db8::3,2001:db8::20,fe80::1");
        assertThat(v.size()).isEqualTo(4);
    }

    @Test
    void anAddressGivenTwiceIsHeldOnce() {
        VipAddresses v = VipAddresses.of(ip("10.0.0.1"), ip("fd00::1"), ip("10.0.0.1"), ip("fd00:0::1"));

        assertThat(v.all()).containsExactly(ip("10.0.0.1"), ip("fd00::1"));
        assertThat(v).isEqualTo(VipAddresses.of(ip("fd00::1"), ip("10.0.0.1")));
    }

    @Test
    void theScopeOfALinkLocalAddressIsNotHashed() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 3);
        byte[] kame = ip("fe80::1").getAddress();
        kame[3] = 5; // fe80:5::1, as a BSD kernel holds fe80::1%5
        VipAddresses v = VipAddresses.of(scoped, InetAddress.getByAddress(kame), ip("fe80::1"));

        assertThat(v.ipv6()).hasSize(1);
        assertThat(HexFormat.of().formatHex(v.hmacBytes())).isEqualTo("fe800000000000000000000000000001");
        assertThat(v.hasScopedIpv6()).isTrue();
        assertThat(v).hasToString("fe80::1");
    }

    @Test
    void linkAndInterfaceLocalMulticastAreScopeEmbeddedTooButGlobalAddressesAreNot() {
        VipAddresses v = VipAddresses.of(ip("ff02:7::1"), ip("ff01:7::1"), ip("ff05:7::1"), ip("2001:7::1"));

        assertThat(HexFormat.of().formatHex(v.hmacBytes())).isEqualTo("20010007000000000000000000000001"
                + "ff010000000000000000000000000001" + "ff020000000000000000000000000001" + "ff050007000000000000000000000001");
    }

    @Test
    void theHmacPartIsFourBytesPerIpv4AndSixteenPerIpv6() {
        VipAddresses v = VipAddresses.of(ip("10.200.0.100"), ip("fd00:200::100"));

        assertThat(HexFormat.of().formatHex(v.hmacBytes())).isEqualTo("0ac80064" + "fd000200000000000000000000000100");
        v.hmacBytes()[0] = 1;
        assertThat(v.hmacBytes()[0]).isEqualTo((byte) 0x0a);
    }

    @Test
    void withoutScopedIpv6IsWhatOpenBsdHashes() {
        VipAddresses v = VipAddresses.of(ip("10.0.0.1"), ip("fe80::1"), ip("fd00::1"));

        assertThat(v.withoutScopedIpv6().all()).containsExactly(ip("10.0.0.1"), ip("fd00::1"));
        assertThat(VipAddresses.of(ip("fd00::1")).withoutScopedIpv6()).isEqualTo(VipAddresses.of(ip("fd00::1")));
    }

    @Test
    void aVhidWithoutAddressesIsRefused() {
        assertThatThrownBy(() -> VipAddresses.of(List.of()))
                .hasMessage("no VIP given (expected: at least one IPv4 or IPv6 address per vhid)");
    }
}
