package dev.karp.cli;

import dev.karp.cli.options.StatusAddressOption;
import dev.karp.status.StatusClient;
import dev.karp.status.StatusException;
import dev.karp.status.StatusJson;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code karp status}: what the local daemon sees, from its status endpoint, once or live. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Show what the local karp run sees: its state and since when, the VIP and whether it is on the interface,"
                    + " the master it believes in, health, the peers it hears, advert counters (rejected ones by"
                    + " reason) and the last state changes. Read from the daemon's status endpoint.",
            "",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp status",
            "  karp status --json | jq -r .master",
            "  karp status --watch",
            "  karp status --watch --interval 0.5 --status-addr 127.0.0.1:9241",
            "",
            "Exit status: 0 when the daemon answered, 1 when it cannot be reached.",
        })
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StatusAddressOption address;

    @Option(names = "--json", description = "Print the status as one JSON object (the daemon's GET /status).")
    boolean json;

    @Option(names = {"-w", "--watch"},
            description = "Full-screen live view, refreshed every --interval; changed lines are highlighted."
                    + " Quit with q or Ctrl-C.")
    boolean watch;

    @Option(names = {"-n", "--interval"}, paramLabel = "SECONDS", defaultValue = "1",
            description = "Refresh interval of --watch, 0.1 to 3600 seconds (default: ${DEFAULT-VALUE}).")
    double interval;

    @Override
    public Integer call() {
        InetSocketAddress target = address.address().orElseThrow(() -> KarpCliException.usage("--status-addr "
                + address.text() + " is not ADDRESS:PORT (expected e.g. 127.0.0.1:9241)"));
        if (json && watch) {
            throw KarpCliException.usage("--json and --watch do not go together: --json is for scripts, --watch for"
                    + " people");
        }
        if (!(interval >= 0.1 && interval <= 3600)) {
            throw KarpCliException.usage("--interval " + interval + " is out of range (expected: 0.1 to 3600 seconds)");
        }
        StatusClient client = new StatusClient(StatusClient.DEFAULT_TIMEOUT);
        if (watch) {
            return watch(client, target);
        }
        StatusSnapshot s;
        try {
            s = client.fetch(target);
        } catch (StatusException e) {
            throw KarpCliException.failure(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new String(StatusJson.write(s), StandardCharsets.UTF_8));
        } else {
            StatusText.lines(s, Clock.systemUTC().instant()).forEach(l -> out.println(l.text()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int watch(StatusClient client, InetSocketAddress target) {
        // The system terminal through jline's exec provider, which sets and restores modes with stty(1). Its JNA
        // provider (3.30.6) loses IEXTEN on Linux when restoring, so the shell would get -iexten back; the exec
        // provider leaves the terminal exactly as it was (StatusWatchIT compares stty -a). Without a terminal
        // (or without stty) jline gives a dumb one.
        try (Terminal terminal = TerminalBuilder.builder().system(true).providers("exec")
                .dumb(true).name("karp").build()) {
            if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                throw KarpCliException.usage("--watch needs a terminal (standard input and output are not one);"
                        + " use karp status or --json in scripts");
            }
            Duration every = Duration.ofMillis(Math.round(interval * 1000));
            new StatusWatch(terminal, () -> client.fetch(target), address.text(), every, Clock.systemUTC()).run();
            return ExitCodes.OK;
        } catch (IOException e) {
            throw KarpCliException.failure("--watch: cannot use the terminal: " + e.getMessage());
        }
    }
}
