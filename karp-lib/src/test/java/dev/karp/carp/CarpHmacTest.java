package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CarpHmacTest {

    @Test
    void theMessageIsVersionTypeVhidVipAndCounter() {
        // ucarp-spec §2.2 test vector
        assertThat(HexFormat.of().formatHex(CarpHmac.message(7, Vectors.VIPS, 0x4b24a82ce5200b7cL)))
                .isEqualTo("0201070ac800644b24a82ce5200b7c");
    }

    @Test
    void theDigestIsStandardHmacSha1OfThePassword() {
        // ucarp-spec §2.2: key s3cret, msg 02 01 07 0a c8 00 64 4b 24 a8 2c e5 20 0b 7c
        CarpHmac hmac = new CarpHmac(CarpPassword.of("s3cret"));

        assertThat(HexFormat.of().formatHex(hmac.digest(7, Vectors.VIPS, 0x4b24a82ce5200b7cL)))
                .isEqualTo("4add92ae7801b6457c27660e6433c9236a57bbdd");
    }

    @Test
    void verifyAcceptsTheRightDigestAndRefusesAnyOther() {
        CarpHmac hmac = new CarpHmac(CarpPassword.of("s3cret"));
        byte[] good = HexFormat.of().parseHex("4add92ae7801b6457c27660e6433c9236a57bbdd");
        byte[] bad = good.clone();
        bad[19] ^= 1;

        assertThat(hmac.verify(7, Vectors.VIPS, 0x4b24a82ce5200b7cL, good)).isTrue();
        assertThat(hmac.verify(7, Vectors.VIPS, 0x4b24a82ce5200b7cL, bad)).isFalse();
        assertThat(hmac.verify(8, Vectors.VIPS, 0x4b24a82ce5200b7cL, good)).isFalse();
        assertThat(hmac.verify(7, VipAddresses.of(Carp.ipv4(10, 200, 0, 101)), 0x4b24a82ce5200b7cL, good)).isFalse();
        assertThat(hmac.verify(7, Vectors.VIPS, 0x4b24a82ce5200b7cL, new byte[3])).isFalse();
    }

    @Test
    void theKeyNeverShowsInToString() {
        assertThat(new CarpHmac(CarpPassword.of("s3cret")).toString()).doesNotContain("s3cret");
        assertThat(CarpPassword.of("s3cret").toString()).isEqualTo("(hidden, 6 bytes)");
    }

    @Test
    void aPasswordOf19BytesIsAccepted() {
        assertThat(CarpPassword.of("a".repeat(19)).length()).isEqualTo(19);
    }

    @Test
    void aPasswordOf20BytesIsRefusedWithUcarpsReason() {
        assertThatThrownBy(() -> CarpPassword.of("a".repeat(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password is 20 bytes long (expected: 1..19); UCarp keeps it with a trailing NUL in a"
                        + " 20-byte buffer and refuses longer ones, so use a shorter password on every node");
    }

    @Test
    void thePasswordLengthCountsUtf8Bytes() {
        // 10 characters, 20 bytes
        assertThatThrownBy(() -> CarpPassword.of("é".repeat(10))).hasMessageStartingWith("the password is 20 bytes long");
    }

    @Test
    void anEmptyPasswordIsRefused() {
        assertThatThrownBy(() -> CarpPassword.of(""))
                .hasMessage("the password is empty (expected: 1..19 bytes); UCarp refuses an empty password too");
    }

    @Test
    void aPassfileGivesItsFirstLineWithoutTheNewline() {
        // given: logs/17: first line s3cret, then another line
        CarpPassword p = CarpPassword.fromPassfile("s3cret\nsecond line\n".getBytes(StandardCharsets.UTF_8));

        assertThat(p).isEqualTo(CarpPassword.of("s3cret"));
        assertThat(p.endsWithCarriageReturn()).isFalse();
    }

    @Test
    void aPassfileWithoutNewlineIsTakenWhole() {
        assertThat(CarpPassword.fromPassfile("s3cret".getBytes(StandardCharsets.UTF_8))).isEqualTo(CarpPassword.of("s3cret"));
    }

    @Test
    void aPassfileWithWindowsLineEndingsKeepsTheCarriageReturnAsUcarpDoes() {
        // when
        CarpPassword p = CarpPassword.fromPassfile("s3cret\r\n".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(p.bytes()).isEqualTo("s3cret\r".getBytes(StandardCharsets.UTF_8));
        assertThat(p.endsWithCarriageReturn()).isTrue();
    }

    @Test
    void aPassfileWithAnEmptyFirstLineIsRefused() {
        assertThatThrownBy(() -> CarpPassword.fromPassfile("\ns3cret\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the first line of the password file is empty (expected: the password, 1..19 bytes)");
    }

    @Test
    void aPassfileWithALongFirstLineIsRefusedForItsLength() {
        assertThatThrownBy(() -> CarpPassword.fromPassfile("x".repeat(600).getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("the password is 511 bytes long (expected: 1..19)");
    }

    @Test
    void passwordBytesAreCopied() {
        byte[] raw = "s3cret".getBytes(StandardCharsets.UTF_8);
        CarpPassword p = CarpPassword.ofBytes(raw);
        raw[0] = 'x';
        p.bytes()[1] = 'x';
        assertThat(p).isEqualTo(CarpPassword.of("s3cret"));
    }
}
