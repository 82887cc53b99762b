package dev.karp.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VipAddressTest {

    private static final List<VipAddress> ETH0 = List.of(VipAddress.parse("10.200.0.11/24"),
            VipAddress.parse("172.16.0.5/16"));

    @Test
    void parsesAddressWithPrefix() {
        VipAddress vip = VipAddress.parse("10.0.0.5/24");

        assertThat(vip.address().getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(vip.prefixLength()).isEqualTo(24);
        assertThat(vip).hasToString("10.0.0.5/24");
    }

    @Test
    void aBareAddressIsSlash32WithoutInterfaceAddresses() {
        assertThat(VipAddress.parse("10.0.0.5")).hasToString("10.0.0.5/32");
    }

    @Test
    void aBareAddressTakesThePrefixOfTheInterfaceSubnetHoldingIt() {
        assertThat(VipAddress.parse("10.200.0.100", ETH0)).hasToString("10.200.0.100/24");
        assertThat(VipAddress.parse("172.16.9.9", ETH0)).hasToString("172.16.9.9/16");
    }

    @Test
    void aBareAddressOutsideEveryInterfaceSubnetIsSlash32() {
        assertThat(VipAddress.parse("192.0.2.7", ETH0)).hasToString("192.0.2.7/32");
    }

    @Test
    void theMostSpecificSubnetWinsAndHostRoutesDoNotCount() {
        List<VipAddress> nested = List.of(VipAddress.parse("10.0.0.1/8"), VipAddress.parse("10.1.0.1/16"),
                VipAddress.parse("10.1.2.3/32"));

        assertThat(VipAddress.defaultPrefix(VipAddress.parseInet4("10.1.2.3"), nested)).isEqualTo(16);
    }

    @Test
    void anExplicitPrefixIsKeptWhateverTheInterfaceHas() {
        assertThat(VipAddress.parse("10.200.0.100/32", ETH0)).hasToString("10.200.0.100/32");
    }

    @Test
    void networkAndBroadcastFollowThePrefix() {
        VipAddress vip = VipAddress.parse("10.200.0.100/24");

        assertThat(vip.network().getHostAddress()).isEqualTo("10.200.0.0");
        assertThat(vip.broadcast()).map(Inet4Address::getHostAddress).hasValue("10.200.0.255");
        assertThat(VipAddress.parse("10.200.0.100/31").broadcast()).isEmpty();
        assertThat(VipAddress.parse("10.200.0.100/32").broadcast()).isEmpty();
    }

    @Test
    void containsTellsWhetherAnAddressIsInTheSubnet() {
        VipAddress net = VipAddress.parse("10.200.0.11/24");

        assertThat(net.contains(VipAddress.parseInet4("10.200.0.254"))).isTrue();
        assertThat(net.contains(VipAddress.parseInet4("10.200.1.1"))).isFalse();
        assertThat(VipAddress.parse("0.0.0.0/0").contains(VipAddress.parseInet4("192.0.2.1"))).isTrue();
    }

    @Test
    void sameAddressIgnoresThePrefix() {
        assertThat(VipAddress.parse("10.0.0.5/24").sameAddress(VipAddress.parse("10.0.0.5/32"))).isTrue();
        assertThat(VipAddress.parse("10.0.0.5/24").sameAddress(VipAddress.parse("10.0.0.6/24"))).isFalse();
    }

    @Test
    void anOctetAbove255IsRejectedByName() {
        assertThatThrownBy(() -> VipAddress.parse("10.0.0.256/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad IPv4 address \"10.0.0.256\": \"256\" is not an octet (expected: 0..255 without leading zeros)");
    }

    @Test
    void leadingZerosAreRejectedBecauseUcarpReadsThemAsOctal() {
        assertThatThrownBy(() -> VipAddress.parseInet4("10.0.0.010"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"010\" is not an octet");
    }

    @Test
    void hostNamesAreRejectedWithoutAnyLookup() {
        assertThatThrownBy(() -> VipAddress.parse("vip.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad IPv4 address \"vip.example.com\" (expected: four octets like 10.0.0.5)");
    }

    @Test
    void aPrefixAbove32IsRejected() {
        assertThatThrownBy(() -> VipAddress.parse("10.0.0.5/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length 33 is out of range (expected: 0..32)");
    }

    @Test
    void aPrefixThatIsNotANumberIsRejected() {
        assertThatThrownBy(() -> VipAddress.parse("10.0.0.5/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad prefix length \"x\" in \"10.0.0.5/x\" (expected: 0..32)");
    }

    @Property
    void printingAndParsingGiveTheSameVip(@ForAll @IntRange(min = 0, max = 255) int a,
            @ForAll @IntRange(min = 0, max = 255) int b, @ForAll @IntRange(min = 0, max = 255) int c,
            @ForAll @IntRange(min = 0, max = 255) int d, @ForAll @IntRange(min = 0, max = 32) int prefix) {
        VipAddress vip = VipAddress.parse(a + "." + b + "." + c + "." + d + "/" + prefix);

        assertThat(VipAddress.parse(vip.toString())).isEqualTo(vip);
        assertThat(vip.contains(vip.address())).isTrue();
        assertThat(vip.contains(vip.network())).isTrue();
    }
}
