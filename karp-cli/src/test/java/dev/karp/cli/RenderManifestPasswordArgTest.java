package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12 item 7: a password never reaches the DaemonSet's args through --extra-arg or extraArgs. */
class RenderManifestPasswordArgTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"--pass=Secr3tPw", "--pass", "-pSecr3tPw", "-p", "--passfile=/etc/Secr3tPw", "-Pp",
        "-Po/etc/Secr3tPw", "--password=Secr3tPw", "--password-file=/etc/Secr3tPw"})
    void aPasswordFlagInAnExtraArgIsRefused(String arg) {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--extra-arg=" + arg);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("karp: --extra-arg ").contains("password", "--existing-secret")
                .doesNotContain("Secr3tPw");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--pass=Secr3tPw", "-pSecr3tPw", "--passfile=/etc/Secr3tPw", "--password-file=/etc/Secr3tPw",
        "-o/etc/Secr3tPw", "--password=Secr3tPw", "-Pp"})
    void aPasswordFlagInTheValuesExtraArgsIsRefused(String arg) throws Exception {
        Path values = Files.writeString(tmp.resolve("values.yaml"), "extraArgs: [\"" + arg + "\"]\n");

        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--values", values.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("karp: --extra-arg ").doesNotContain("Secr3tPw");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--neutral", "--shutdown", "--debug", "--deadratio=4", "-k"})
    void otherExtraArgsStillReachTheArgs(String arg) {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--extra-arg=" + arg);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("- " + arg);
    }
}
