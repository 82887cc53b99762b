package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordTest {
    @Test
    void toStringNeverShowsTheContent() {
        assertThat(Password.of("s3cret").toString()).isEqualTo("(hidden, 6 bytes)");
    }

    @Test
    void aConfigPrintedByMistakeDoesNotShowThePassword() {
        // given
        KarpConfig c = KarpConfig.builder().interfaceName("eth0").srcip(Ipv4.parse("10.200.0.11"))
                .password(Password.of("s3cret")).vip(Ipv4.parse("10.200.0.100"), 24).build();

        // when
        String printed = c.toString();

        // then
        assertThat(printed).doesNotContain("s3cret").contains("(hidden, 6 bytes)");
    }

    @Test
    void theBytesAreACopy() {
        // given
        Password p = Password.of("s3cret");

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
        PasswordFile.Line line = PasswordFile.firstLine(content);

        // then
        assertThat(line.password()).isEqualTo(Password.of("pw\r"));
        assertThat(line.endsWithCarriageReturn()).isTrue();
    }
}
