package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** main builds a command line with 'run' alone for the daemon: it must behave like the full one. */
class DaemonCommandLineTest {

    private static CliRun daemon(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Karp.daemonCommandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void runHelpIsTheSameAsWithEverySubcommand() {
        // given / when
        CliRun daemon = daemon("run", "--help");
        CliRun full = CliRun.of("run", "--help");

        // then
        assertThat(daemon.exitCode()).isZero();
        assertThat(daemon.out()).isEqualTo(full.out()).startsWith("Usage: karp run ");
    }

    @Test
    void aCheckedConfigurationIsPrintedTheSameWay() {
        // given
        String[] args = {"run", "--check-config", "-i", "lo", "-s", "127.0.0.1", "-v", "7", "--pass", "secret",
            "--vip", "10.200.0.100/24"};

        // when
        CliRun daemon = daemon(args);
        CliRun full = CliRun.of(args);

        // then
        assertThat(daemon.exitCode()).isEqualTo(full.exitCode()).isZero();
        assertThat(daemon.out()).isEqualTo(full.out());
        assertThat(daemon.err()).isEqualTo(full.err());
    }

    @Test
    void aBadOptionIsTheSameOneLineUsageError() {
        // given / when
        CliRun daemon = daemon("run", "--no-such-option");
        CliRun full = CliRun.of("run", "--no-such-option");

        // then
        assertThat(daemon.exitCode()).isEqualTo(full.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(daemon.err()).isEqualTo(full.err()).contains("Try 'karp run --help'");
    }
}
