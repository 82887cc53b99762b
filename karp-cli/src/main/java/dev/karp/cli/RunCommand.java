package dev.karp.cli;

import dev.karp.config.KarpConfig;
import dev.karp.config.HealthCheck;
import dev.karp.daemon.Daemon;
import dev.karp.daemon.DaemonException;
import dev.karp.daemon.LoopPriority;
import dev.karp.health.HealthMonitor;
import dev.karp.health.HealthProbe;
import dev.karp.link.LinkException;
import dev.karp.link.PcapLink;
import dev.karp.log.KarpLogging;
import dev.karp.metrics.MetricsServer;
import dev.karp.scripts.ScriptRunner;
import dev.karp.scripts.VipScripts;
import dev.karp.status.StatusServer;
import dev.karp.vip.NetlinkVipManager;
import dev.karp.vip.VipException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import dev.karp.cli.options.RunOptions;
import dev.karp.config.ConfigException;
import dev.karp.config.ConfigLoader;
import dev.karp.config.HostInterfaces;
import dev.karp.config.LinuxHostInterfaces;
import dev.karp.config.LoadedConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code karp run}: the node daemon. Loads and checks the configuration, then runs {@link Daemon} on the
 * configured interface until SIGTERM, SIGINT or SIGHUP; with {@code --check-config} it only prints the
 * effective configuration.
 */
@Command(
        name = "run",
        // The options of every Setting: RunOptions builds them, for the command line and KARP_EXTRA_FLAGS alike.
        modelTransformer = RunOptions.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Hold the VIP on exactly one node of a CARP group, wire-compatible with UCarp.",
            "A ucarp command line works unchanged. Sources, highest first: flags;",
            "environment (KARP_INTERFACE, KARP_HOST_IP, KARP_VIRTUAL_IP, KARP_SUBNET,",
            "KARP_SERVER_ID, KARP_PASSWORD, KARP_UPSCRIPT, KARP_DOWNSCRIPT,",
            "KARP_EXTRA_FLAGS, KARP_DEBUG); the --config file; defaults.",
            "See docs/configuration.md.",
            "",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp run --check-config --vip 10.200.0.100/24 -v 7 -o /etc/karp/password",
            "  karp run --check-config -i eth0 -s 10.200.0.11 -v 7 -o pw -a 10.200.0.100",
            "  karp run -i eth0 -v 7 --password-file /etc/karp/password --vip 10.200.0.100/24 \\",
            "      --advskew 50 --metrics-addr 0.0.0.0:9242",
        })
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
    private static final Duration SCRIPT_DRAIN = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Option(names = "--check-config", order = 100,
            description = "Check the configuration, print the effective values (password hidden) with their "
                    + "sources, and exit: 0 if valid, 2 if not.")
    boolean checkConfig;

    private Map<String, String> environment = System.getenv();
    private HostInterfaces host = new LinuxHostInterfaces();

    /** Replaces the process environment and the host's interfaces, for tests. */
    void use(Map<String, String> environment, HostInterfaces host) {
        this.environment = environment;
        this.host = host;
    }

    /**
     * Loads the configuration from the flags, the environment and the {@code --config} file.
     *
     * @throws KarpCliException (exit 2) with the loader's one-line message
     */
    LoadedConfig loadConfig() {
        try {
            return new ConfigLoader(host).load(RunOptions.given(spec), RunOptions.extraFlags(environment), environment);
        } catch (ConfigException e) {
            throw KarpCliException.usage(e.getMessage());
        }
    }

    @Override
    public Integer call() {
        LoadedConfig loaded = loadConfig();
        PrintWriter err = spec.commandLine().getErr();
        loaded.warnings().forEach(w -> err.println("karp: warning: " + w));
        if (checkConfig) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("# karp run: effective configuration (the password is never shown)");
            loaded.describe().forEach(out::println);
            out.flush();
            return ExitCodes.OK;
        }
        err.flush();
        return runDaemon(loaded.config());
    }

    /**
     * Opens the host resources in order (link, VIP manager, scripts, status endpoint), runs the loop
     * until SIGTERM/SIGINT/SIGHUP, and closes everything in reverse order on every path.
     */
    private int runDaemon(KarpConfig config) {
        KarpLogging.configure(System.err, config.debug());
        // Built before the link opens: a bad --health-ca must change nothing on the host.
        HealthProbe probe = healthProbe(config);
        PcapLink.Options linkOptions = new PcapLink.Options(config.interfaceName(), config.srcip(),
                config.mcastip(), !config.nomcast());
        try (PcapLink link = PcapLink.open(linkOptions);
                NetlinkVipManager vips = NetlinkVipManager.open(config.interfaceName());
                ScriptRunner runner = new ScriptRunner(config.scriptTimeout())) {
            Daemon daemon = new Daemon(config, link, vips, VipScripts.of(config, runner), System::nanoTime,
                    Clock.systemUTC(), new SecureRandom());
            try (StatusServer status = startStatus(config, daemon);
                    MetricsServer metrics = startMetrics(config, daemon);
                    HealthMonitor monitor = startHealth(config, probe, daemon)) {
                Signals.onTermination(daemon::requestShutdown);
                // This thread runs the loop: only it gets the priority (LoopPriority).
                raisePriority(config);
                daemon.run();
            }
            // A downscript may still be running: SIGTERM must end within a second.
            runner.close(SCRIPT_DRAIN);
            return ExitCodes.OK;
        } catch (LinkException | VipException | DaemonException e) {
            throw KarpCliException.failure(e.getMessage());
        }
    }

    private static MetricsServer startMetrics(KarpConfig config, Daemon daemon) {
        if (config.metricsAddress().isEmpty()) {
            return null;
        }
        try {
            return MetricsServer.start(config.metricsAddress().get(), daemon::status, VersionProvider.version());
        } catch (IOException e) {
            throw KarpCliException.failure(e.getMessage());
        }
    }

    private static void raisePriority(KarpConfig config) {
        if (config.rtPriority() == 0) {
            return;
        }
        LoopPriority.Outcome o = LoopPriority.raise(config.rtPriority());
        if (o.realtime()) {
            LOG.info(o::description);
        } else {
            LOG.warning(o::description);
        }
    }

    private static HealthProbe healthProbe(KarpConfig config) {
        if (config.healthCheck().isEmpty()) {
            return null;
        }
        try {
            return HealthProbe.of(config.healthCheck().get().target());
        } catch (IllegalArgumentException e) {
            throw KarpCliException.usage(e.getMessage());
        }
    }

    /** The health monitor, started: the node stays demoted until the first probe passes. */
    private static HealthMonitor startHealth(KarpConfig config, HealthProbe probe, Daemon daemon) {
        if (probe == null) {
            return null;
        }
        HealthCheck check = config.healthCheck().get();
        HealthMonitor monitor = new HealthMonitor(probe, check.interval(), check.timeout(), check.fails(),
                check.rises(), daemon::setHealth);
        monitor.start();
        return monitor;
    }

    private static StatusServer startStatus(KarpConfig config, Daemon daemon) {
        if (config.statusAddress().isEmpty()) {
            return null;
        }
        InetSocketAddress address = config.statusAddress().get();
        try {
            return StatusServer.start(address, daemon::status, daemon.heartbeat());
        } catch (IOException e) {
            throw KarpCliException.failure("cannot serve status on " + address.getHostString() + ":"
                    + address.getPort() + ": " + e.getMessage()
                    + "; is another karp running? choose another --status-addr, or 'off'");
        }
    }
}
