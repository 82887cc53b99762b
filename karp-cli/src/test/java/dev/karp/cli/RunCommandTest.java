package dev.karp.cli;

import dev.karp.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.config.HostInterface;
import dev.karp.config.HostInterfaces;
import dev.karp.net.IpAddresses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {
    /** Node A of the shared vectors: eth0 10.200.0.11/24 holds the default route. */
    private static final HostInterfaces NODE_A = new HostInterfaces() {
        @Override
        public List<HostInterface> list() {
            return List.of(
                    new HostInterface("eth0", List.of(new Cidr(IpAddresses.parseIpv4("10.200.0.11"), 24))),
                    new HostInterface("lo", List.of(new Cidr(IpAddresses.parseIpv4("127.0.0.1"), 8))));
        }

        @Override
        public Optional<String> defaultRouteInterface() {
            return Optional.of("eth0");
        }
    };

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cl = Karp.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        RunCommand run = cl.getSubcommands().get("run").getCommand();
        run.use(env, NODE_A);
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        return cl.execute(all.toArray(String[]::new));
    }

    @Test
    void aUcarpCommandLineFromTheVectorsChecksOutAndPrintsTheEffectiveConfiguration() {
        // given: logs/02-failover-sigkill/cmds.log node A, without the scripts (their paths exist only in the lab)

        // when
        int code = run(Map.of(), "--check-config", "-i", "eth0", "-v", "7", "-p", "s3cret", "-a", "10.200.0.100",
                "-b", "1", "-f", "none", "-s", "10.200.0.11", "-k", "0", "-x", "A");

        // then
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("interface: eth0", "srcip: 10.200.0.11", "vhid: 7",
                "pass: (hidden, 6 bytes)", "vip: 10.200.0.100/24", "advskew: 0", "xparam: A");
        assertThat(out.toString() + err).doesNotContain("s3cret");
        assertThat(err.toString()).isEqualTo("karp: warning: --pass puts the password in the process list "
                + "(ps, /proc/PID/cmdline) for every local user to read; prefer --password-file FILE\n");
    }

    @Test
    void theHealthCheckOptionsAreCheckedAndShown() {
        // given / when
        int code = run(Map.of(), "--check-config", "--vip", "10.200.0.100/24", "-v", "7", "-p", "s3cret",
                "--health-url", "https://127.0.0.1:6443/readyz", "--health-interval", "500ms", "--health-fails", "3");

        // then
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("health-url: https://127.0.0.1:6443/readyz", "health-interval: 500ms",
                "health-timeout: 1s", "health-fails: 3", "health-rises: 2", "health-ca: none (loopback: not verified)");
    }

    @Test
    void aBadHealthOptionIsAUsageErrorOfOneLine() {
        // given / when
        int code = run(Map.of(), "--check-config", "--vip", "10.200.0.100/24", "-v", "7", "-p", "s3cret",
                "--health-url", "https://127.0.0.1:6443/readyz", "--health-exec", "true");

        // then
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).endsWith("karp: --health-url and --health-exec are both given; use one (a"
                + " --health-exec command can run several checks)\n");
    }

    @Test
    void longOptionsWithEqualsSignsWorkAsInKubeKarpsEntrypoint() {
        // given / when
        int code = run(Map.of(), "--check-config", "--interface=eth0", "--srcip=10.200.0.11", "--vhid=10",
                "--pass=Xq3vT9bLm2Pz8RwA", "--addr=10.200.0.100", "--xparam=24", "-PnSz");

        // then
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("preempt: true", "neutral: true", "ignoreifstate: true", "shutdown: true");
    }

    @Test
    void theKubeKarpEnvironmentAloneIsEnough() {
        // given
        Map<String, String> env = Map.of("KARP_VIRTUAL_IP", "10.200.0.100", "KARP_SUBNET", "24",
                "KARP_SERVER_ID", "10", "KARP_PASSWORD", "Xq3vT9bLm2Pz8RwA", "KARP_EXTRA_FLAGS", "--advskew 50");

        // when
        int code = run(env, "--check-config");

        // then
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).containsPattern("vhid: 10 +# environment KARP_SERVER_ID")
                .containsPattern("advskew: 50 +# environment KARP_EXTRA_FLAGS");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anOutOfRangeValueIsAUsageErrorOfOneLine() {
        // given / when
        int code = run(Map.of(), "--check-config", "-p", "s3cret", "-a", "10.200.0.100", "--advskew", "300");

        // then
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).endsWith("karp: --advskew 300 is out of range (expected: 0..255)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void daemonizeIsRefusedWithAReason() {
        // given / when
        int code = run(Map.of(), "--check-config", "-p", "s3cret", "-a", "10.200.0.100", "-B");

        // then
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("karp: --daemonize is not supported: karp stays in the foreground; "
                + "run it from systemd or as a container\n");
    }

    @Test
    void ucarpsUndocumentedDashMIsAnUnknownOption() {
        // given / when: ucarp-spec §5, UCarp's help lists -m but rejects it (and exits 0); karp exits 2
        int code = run(Map.of(), "--check-config", "-m", "239.0.0.7");

        // then
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("karp: Unknown options: '-m', '239.0.0.7'");
    }

    @Test
    void aBadExtraFlagIsAUsageErrorOfOneLineNamingTheVariable() {
        // given
        Map<String, String> env = Map.of("KARP_VIRTUAL_IP", "10.200.0.100", "KARP_PASSWORD", "Xq3vT9bLm2Pz8RwA",
                "KARP_EXTRA_FLAGS", "--advskew");

        // when
        int code = run(env, "--check-config");

        // then
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("karp: KARP_EXTRA_FLAGS --advskew needs a value; see 'karp run --help'\n");
        assertThat(out.toString()).isEmpty();
    }
}
