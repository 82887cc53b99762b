package dev.karp.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "fd00:0:0:0:0:0:0:1, fd00::1",
        "FD00:0000:0000:0000:0000:0000:0000:0001, fd00::1",
        "0:0:0:0:0:0:0:1, ::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "[fe80::1:2:3:4], fe80::1:2:3:4",
        "192.168.1.100, 192.168.1.100",
    })
    void printsTheRfc5952ShortForm(String in, String out) {
        assertThat(IpAddresses.format(IpAddresses.parse(in).orElseThrow())).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "1.2.3", "256.1.1.1", "01.2.3.4x", "", "fd00::g"})
    void namesAndBrokenAddressesAreNotLiterals(String text) {
        assertThat(IpAddresses.parse(text)).isEmpty();
    }

    @Test
    void ipv6GoesInBracketsForUrls() {
        assertThat(IpAddresses.forUrl(IpAddresses.parse("fd00::100").orElseThrow())).isEqualTo("[fd00::100]");
    }

    @Test
    void ipv4OptionsSayWhatIsWrong() {
        assertThat(IpAddresses.parseIpv4("10.0.0.1").getHostAddress()).isEqualTo("10.0.0.1");
        assertThatThrownBy(() -> IpAddresses.parseIpv4("fd00::1"))
                .hasMessage("is not an IPv4 address (karp, like UCarp, supports IPv4 only)");
        assertThatThrownBy(() -> IpAddresses.parseIpv4("10.0.0"))
                .hasMessage("is not an IPv4 address (expected: four numbers like 10.0.0.1)");
        assertThatThrownBy(() -> IpAddresses.parseIpv4("10.0.0.256"))
                .hasMessage("is not an IPv4 address (expected: four numbers 0..255 like 10.0.0.1)");
    }
}
