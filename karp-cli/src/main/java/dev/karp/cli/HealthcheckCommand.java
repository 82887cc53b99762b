package dev.karp.cli;

import dev.karp.cli.options.StatusAddressOption;
import dev.karp.status.StatusClient;
import dev.karp.status.StatusException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code karp healthcheck}: for systemd, scripts and people (the manifests' probes GET {@code /healthz} with httpGet,
 * which asks the same question without a JVM). Passes only when the local daemon answers
 * {@code GET /healthz} with 200, i.e. its protocol loop turned within the last few intervals (see
 * {@code LoopHeartbeat}): a process that exists but is frozen (SIGSTOP, a deadlock) fails, because the kernel
 * accepts the connection but nobody answers before the timeout.
 */
@Command(
        name = "healthcheck",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Exit 0 when the local karp run answers and its protocol loop is alive, 1 otherwise, within"
                    + " --timeout. For systemd and scripts; Kubernetes probes GET /healthz on the status endpoint"
                    + " (httpGet), which answers the same without starting a JVM.",
            "",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp healthcheck && echo alive",
            "  karp healthcheck --status-addr 127.0.0.1:9241 --timeout 0.5",
            "",
            "Exit status: 0 alive; 1 stalled, not answering or not running; 2 bad usage.",
        })
public final class HealthcheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StatusAddressOption address;

    // With the JVM's start (0.3 s here) the whole check stays under a second, yet each half is far above a
    // loopback round trip to a running daemon (a few ms).
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Give up after this long, 0.05 to 30 seconds (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing when alive.")
    boolean quiet;

    @Override
    public Integer call() {
        InetSocketAddress target = address.address().orElseThrow(() -> KarpCliException.usage("--status-addr "
                + address.text() + " is not ADDRESS:PORT (expected e.g. 127.0.0.1:9241)"));
        if (!(timeout >= 0.05 && timeout <= 30)) {
            throw KarpCliException.usage("--timeout " + timeout + " is out of range (expected: 0.05 to 30 seconds)");
        }
        // Connecting and reading each get half, so the whole check ends within --timeout.
        StatusClient client = new StatusClient(Duration.ofMillis(Math.max(1, Math.round(timeout * 500))));
        boolean alive;
        try {
            alive = client.healthy(target);
        } catch (StatusException e) {
            throw KarpCliException.failure("unhealthy: " + e.getMessage());
        }
        if (!alive) {
            throw KarpCliException.failure("unhealthy: karp at " + address.text()
                    + " answers, but its protocol loop has stalled (GET /healthz: 503)");
        }
        if (!quiet) {
            spec.commandLine().getOut().println("ok: karp at " + address.text() + " is alive");
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
