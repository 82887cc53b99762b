package dev.karp.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static final List<Cidr> ETH0 = List.of(Cidr.parse("10.200.0.11/24"),
            Cidr.parse("172.16.0.5/16"));

    @Test
    void parsesAddressWithPrefix() {
        Cidr vip = Cidr.parse("10.0.0.5/24");

        assertThat(vip.address().getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(vip.prefix()).isEqualTo(24);
        assertThat(vip.ipv4().getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(vip).hasToString("10.0.0.5/24");
    }

    @Test
    void aBareAddressIsTheFullLengthWithoutInterfaceAddresses() {
        assertThat(Cidr.parse("10.0.0.5")).hasToString("10.0.0.5/32");
        assertThat(Cidr.parse("fd00::5")).hasToString("fd00::5/128");
    }

    @Test
    void aBareAddressTakesThePrefixOfTheInterfaceSubnetHoldingIt() {
        assertThat(Cidr.parse("10.200.0.100", ETH0)).hasToString("10.200.0.100/24");
        assertThat(Cidr.parse("172.16.9.9", ETH0)).hasToString("172.16.9.9/16");
    }

    @Test
    void aBareAddressOutsideEveryInterfaceSubnetIsSlash32() {
        assertThat(Cidr.parse("192.0.2.7", ETH0)).hasToString("192.0.2.7/32");
    }

    @Test
    void theMostSpecificSubnetWinsAndHostRoutesDoNotCount() {
        List<Cidr> nested = List.of(Cidr.parse("10.0.0.1/8"), Cidr.parse("10.1.0.1/16"),
                Cidr.parse("10.1.2.3/32"));

        assertThat(Cidr.defaultPrefix(IpAddresses.parseIpv4("10.1.2.3"), nested)).isEqualTo(16);
    }

    @Test
    void anExplicitPrefixIsKeptWhateverTheInterfaceHas() {
        assertThat(Cidr.parse("10.200.0.100/32", ETH0)).hasToString("10.200.0.100/32");
    }

    @Test
    void containsTellsWhetherAnAddressIsInTheSubnet() {
        Cidr net = Cidr.parse("10.200.0.11/24");

        assertThat(net.contains(IpAddresses.parseIpv4("10.200.0.254"))).isTrue();
        assertThat(net.contains(IpAddresses.parseIpv4("10.200.1.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddresses.parseIpv4("192.0.2.1"))).isTrue();
        assertThat(Cidr.parse("10.200.0.11/21").contains(IpAddresses.parseIpv4("10.200.7.1"))).isTrue();
        assertThat(Cidr.parse("10.200.0.11/21").contains(IpAddresses.parseIpv4("10.200.8.1"))).isFalse();
    }

    @Test
    void ipv6IsTheSameTypeAndNeverContainsIpv4() {
        Cidr v6 = Cidr.parse("fd00:200::11/64");

        assertThat(v6.isIpv4()).isFalse();
        assertThat(v6.contains(IpAddresses.parse("fd00:200::ffff").orElseThrow())).isTrue();
        assertThat(v6.contains(IpAddresses.parse("fd00:201::1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddresses.parse("fd00::1").orElseThrow())).isFalse();
        assertThatThrownBy(v6::ipv4).isInstanceOf(IllegalStateException.class)
                .hasMessage("fd00:200::11/64 is not an IPv4 address");
    }

    @Test
    void sameAddressIgnoresThePrefix() {
        assertThat(Cidr.parse("10.0.0.5/24").sameAddress(Cidr.parse("10.0.0.5/32"))).isTrue();
        assertThat(Cidr.parse("10.0.0.5/24").sameAddress(Cidr.parse("10.0.0.6/24"))).isFalse();
    }

    @Test
    void anOctetAbove255IsNotAnAddress() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.256/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not an IP address (expected: e.g. 10.0.0.5/24 or fd00::5/64)");
    }

    @Test
    void leadingZerosAreRejectedBecauseUcarpReadsThemAsOctal() {
        assertThatThrownBy(() -> IpAddresses.parseIpv4("10.0.0.010"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not an IPv4 address (expected: four numbers 0..255 like 10.0.0.1)");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.010/24")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostNamesAreRejectedWithoutAnyLookup() {
        assertThatThrownBy(() -> Cidr.parse("vip.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not an IP address (expected: e.g. 10.0.0.5/24 or fd00::5/64)");
    }

    @Test
    void aPrefixAboveTheFamilysLengthIsRejected() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.5/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("has a bad prefix length (expected: /0 to /32)");
        assertThat(Cidr.parse("fd00::5/100").prefix()).isEqualTo(100);
        assertThatThrownBy(() -> Cidr.of(IpAddresses.parseIpv4("10.0.0.5"), 33))
                .hasMessage("prefix /33 is out of range (expected: 0..32)");
    }

    @Test
    void aPrefixThatIsNotANumberIsRejected() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.5/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("has a bad prefix length (expected: /0 to /32)");
    }

    @Property
    void printingAndParsingGiveTheSameVip(@ForAll @IntRange(min = 0, max = 255) int a,
            @ForAll @IntRange(min = 0, max = 255) int b, @ForAll @IntRange(min = 0, max = 255) int c,
            @ForAll @IntRange(min = 0, max = 255) int d, @ForAll @IntRange(min = 0, max = 32) int prefix) {
        Cidr vip = Cidr.parse(a + "." + b + "." + c + "." + d + "/" + prefix);

        assertThat(Cidr.parse(vip.toString())).isEqualTo(vip);
        assertThat(vip.contains(vip.address())).isTrue();
    }
}
