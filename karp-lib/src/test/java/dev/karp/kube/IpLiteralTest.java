package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
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
        assertThat(IpLiteral.format(IpLiteral.parse(in).orElseThrow())).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "1.2.3", "256.1.1.1", "01.2.3.4x", "", "fd00::g"})
    void namesAndBrokenAddressesAreNotLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isEmpty();
    }

    @Test
    void ipv6GoesInBracketsForUrls() {
        assertThat(IpLiteral.forUrl(IpLiteral.parse("fd00::100").orElseThrow())).isEqualTo("[fd00::100]");
    }

    @Test
    void aCidrNeedsItsPrefix() {
        assertThatThrownBy(() -> Cidr.parse("192.168.1.100"))
                .hasMessage("--vip 192.168.1.100 has no prefix length (expected: CIDR such as 192.168.1.100/24,"
                        + " the prefix of the node network)");
        assertThatThrownBy(() -> Cidr.parse("192.168.1.100/33"))
                .hasMessage("--vip 192.168.1.100/33: prefix /33 is out of range (expected: 1..32)");
        assertThat(Cidr.parse("fd00::0100/64")).hasToString("fd00::100/64");
    }

    @Test
    void hostPortReadsEveryForm() {
        assertThat(HostPort.parse("192.168.1.11", 6443)).isEqualTo(new HostPort("192.168.1.11", 6443));
        assertThat(HostPort.parse("192.168.1.11:16443", 6443)).isEqualTo(new HostPort("192.168.1.11", 16443));
        assertThat(HostPort.parse("[::1]:8443", 6443)).isEqualTo(new HostPort("::1", 8443));
        assertThat(HostPort.parse("fd00::11", 6443)).isEqualTo(new HostPort("fd00::11", 6443));
        assertThat(HostPort.parse("https://api.example.com:443/x", 6443)).isEqualTo(new HostPort("api.example.com", 443));
        assertThat(HostPort.parse("[fd00::11]:6443", 1).toString()).isEqualTo("[fd00::11]:6443");
    }
}
