package dev.karp.cli;

import dev.karp.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.karp.config.HostInterface;
import dev.karp.config.HostInterfaces;
import dev.karp.lab.Exec;
import dev.karp.lab.ExecResult;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** examples/systemd: the unit passes 'systemd-analyze verify', and its karp.yaml is a valid configuration. */
class SystemdUnitTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "systemd").toAbsolutePath().normalize();

    @TempDir
    Path root;

    @Test
    void theUnitPassesSystemdAnalyzeVerifyWithoutAWord() throws IOException {
        // given: a root with the unit, an executable where ExecStart points, and the host's targets
        // (verify resolves the unit's dependencies); the host's own /opt and /etc stay untouched
        requireSystemdAnalyze();
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Path unit = units.resolve("karp.service");
        Files.copy(EXAMPLES.resolve("karp.service"), unit);
        Path launcher = Files.createDirectories(root.resolve("opt/karp/bin")).resolve("karp");
        Files.writeString(launcher, "#!/bin/sh\n");
        launcher.toFile().setExecutable(true);
        Path system = Files.createDirectories(root.resolve("lib/systemd/system"));
        try (Stream<Path> targets = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path t : targets.filter(p -> p.toString().endsWith(".target") || p.toString().endsWith(".slice")).toList()) {
                Files.copy(t, system.resolve(t.getFileName()));
            }
        }

        // when: --man=no, since man:karp-run(1) is installed with karp, not on the build machine
        ExecResult r = Exec.run(Duration.ofSeconds(60),
                List.of("systemd-analyze", "--man=no", "--root=" + root, "verify", unit.toString()));

        // then: verify exits 0 even for unknown keys, which it reports on stderr
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).isEmpty();
    }

    @Test
    void theUnitRunsKarpWithTheTwoCapabilitiesAndNoRoot() throws IOException {
        // given / when
        String unit = Files.readString(EXAMPLES.resolve("karp.service"));

        // then
        assertThat(unit).contains("\nExecStart=/opt/karp/bin/karp run --config /etc/karp/karp.yaml --password-file %d/password\n",
                "\nDynamicUser=yes\n", "\nAmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW\n",
                "\nCapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW\n", "\nConflicts=ucarp.service\n");
    }

    @Test
    void theExampleConfigurationChecksOut() {
        // given: a host whose eth0 has the example's address
        HostInterfaces host = new HostInterfaces() {
            @Override
            public List<HostInterface> list() {
                return List.of(new HostInterface("eth0", List.of(new Cidr(IpAddresses.parseIpv4("192.168.1.11"), 24))));
            }

            @Override
            public Optional<String> defaultRouteInterface() {
                return Optional.of("eth0");
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Karp.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        RunCommand run = cl.getSubcommands().get("run").getCommand();
        run.use(Map.of(), host);

        // when
        int code = cl.execute("run", "--check-config", "--config", EXAMPLES.resolve("karp.yaml").toString(),
                "--pass", "example");

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("interface: eth0", "vhid: 10", "vip: 192.168.1.100/24");
    }

    private static void requireSystemdAnalyze() throws IOException {
        if (!Exec.run(Duration.ofSeconds(10), List.of("sh", "-c", "command -v systemd-analyze")).ok()) {
            String why = "systemd-analyze is missing (Debian: apt-get install systemd; .ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
