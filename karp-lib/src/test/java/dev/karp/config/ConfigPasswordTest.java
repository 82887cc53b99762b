package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.CarpPassword;
import dev.karp.net.IpAddresses;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The configuration keeps the CARP password as {@link CarpPassword}; these are the properties it relies on. */
class ConfigPasswordTest {
    @Test
    void toStringNeverShowsTheContent() {
        assertThat(CarpPassword.of("s3cret").toString()).isEqualTo("(hidden, 6 bytes)");
    }

    @Test
    void aConfigPrintedByMistakeDoesNotShowThePassword() {
        // given
        KarpConfig c = KarpConfig.builder().interfaceName("eth0").srcip(IpAddresses.parseIpv4("10.200.0.11"))
                .password(CarpPassword.of("s3cret")).vip(IpAddresses.parseIpv4("10.200.0.100"), 24).build();

        // when
        String printed = c.toString();

        // then
        assertThat(printed).doesNotContain("s3cret").contains("(hidden, 6 bytes)");
    }

    @Test
    void theBytesAreACopy() {
        // given
        CarpPassword p = CarpPassword.of("s3cret");

        // when
        p.bytes()[0] = 'X';

        // then
        assertThat(p.bytes()).isEqualTo("s3cret".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePasswordFileLineKeepsACarriageReturnLikeUcarp() {
        // given
        byte[] content = "pw\r\nrest".getBytes(StandardCharsets.US_ASCII);

        // when
        CarpPassword p = CarpPassword.fromPassfile(content);

        // then
        assertThat(p).isEqualTo(CarpPassword.of("pw\r"));
        assertThat(p.endsWithCarriageReturn()).isTrue();
        assertThat(CarpPassword.passfileLine(content)).isEqualTo("pw\r".getBytes(StandardCharsets.US_ASCII));
    }
}
