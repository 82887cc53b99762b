package dev.karp.cli;

import dev.karp.FailoverConfigException;
import dev.karp.FailoverException;
import dev.karp.HealthCheck;
import dev.karp.VipFailover;
import dev.karp.VipGroup;
import dev.karp.cli.options.RunOptions;
import dev.karp.config.ConfigException;
import dev.karp.config.ConfigLoader;
import dev.karp.config.HostInterfaces;
import dev.karp.config.KarpConfig;
import dev.karp.config.LinuxHostInterfaces;
import dev.karp.config.LoadedConfig;
import dev.karp.log.KarpLogging;
import dev.karp.metrics.MetricsServer;
import dev.karp.status.StatusServer;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code karp run}: the node daemon. Loads and checks the configuration, then runs {@link VipFailover} on the
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
     * Runs the library's {@link VipFailover} on this thread with the endpoints around it, until SIGTERM, SIGINT
     * or SIGHUP; the failover closes what it opened on every path.
     */
    private int runDaemon(KarpConfig config) {
        KarpLogging.configure(System.err, config.debug());
        VipFailover failover = failover(config);
        try (StatusServer status = startStatus(config, failover);
                MetricsServer metrics = startMetrics(config, failover)) {
            Signals.onTermination(failover::close);
            failover.run();
            return ExitCodes.OK;
        } catch (FailoverException e) {
            // A second karp for the same interface and vhid is a configuration error: nothing was changed.
            throw e.alreadyRunning() ? KarpCliException.usage(e.getMessage()) : KarpCliException.failure(e.getMessage());
        }
    }

    /** The flags' values as the library's builder takes them; the loader has checked them already. */
    static VipFailover failover(KarpConfig c) {
        VipFailover.Builder b = VipFailover.builder()
                .interfaceName(c.interfaceName())
                .password(c.password().bytes())
                .advbase(c.advbase())
                .advskew(c.advskew())
                .deadratio(c.deadratio())
                .preempt(c.preempt())
                .neutral(c.neutral())
                .ignoreLinkState(c.ignoreifstate())
                .broadcastAdverts(c.nomcast())
                .multicastGroup(c.mcastip())
                .debug(c.debug())
                .garpCount(c.garpCount())
                .garpInterval(c.garpInterval())
                .scriptTimeout(c.scriptTimeout())
                .realtimePriority(c.rtPriority());
        c.srcip().ifPresent(b::sourceAddress);
        if (c.groups().isEmpty()) {
            b.vhid(c.vhid());
            c.vips().forEach(v -> b.vip(v.toString()));
        }
        for (KarpConfig.Group g : c.groups()) {
            VipGroup.Builder gb = VipGroup.builder().vhid(g.vhid());
            g.vips().forEach(v -> gb.vip(v.toString()));
            g.interfaceName().ifPresent(gb::interfaceName);
            g.srcip().ifPresent(gb::sourceAddress);
            g.advbase().ifPresent(gb::advbase);
            g.advskew().ifPresent(gb::advskew);
            g.preempt().ifPresent(gb::preempt);
            g.password().ifPresent(p -> gb.password(p.bytes()));
            g.upscript().ifPresent(gb::upscript);
            g.downscript().ifPresent(gb::downscript);
            b.group(gb.build());
        }
        c.garpRefresh().ifPresent(b::garpRefresh);
        c.vipLifetime().ifPresent(b::vipLifetime);
        b.auth(c.auth());
        c.peers().forEach(b::peer);
        c.upscript().ifPresent(b::upscript);
        c.downscript().ifPresent(b::downscript);
        c.xparam().ifPresent(b::scriptArgument);
        c.healthCheck().ifPresent(h -> b.healthCheck(healthCheck(h)));
        try {
            return b.build();
        } catch (FailoverConfigException e) {
            throw KarpCliException.usage(RunFlags.inFlagTerms(e));
        }
    }

    private static HealthCheck healthCheck(dev.karp.config.HealthCheck h) {
        HealthCheck check;
        if (h.target() instanceof dev.karp.config.HealthCheck.Http http) {
            check = HealthCheck.http(http.url());
            if (http.expectStatus().isPresent()) {
                check = check.withExpectStatus(http.expectStatus().getAsInt());
            }
            if (http.ca().isPresent()) {
                check = check.withCaFile(http.ca().get());
            }
        } else {
            check = HealthCheck.exec(((dev.karp.config.HealthCheck.Exec) h.target()).command());
        }
        return check.withInterval(h.interval()).withTimeout(h.timeout()).withFails(h.fails()).withRises(h.rises());
    }

    private static MetricsServer startMetrics(KarpConfig config, VipFailover failover) {
        if (config.metricsAddress().isEmpty()) {
            return null;
        }
        try {
            return MetricsServer.start(config.metricsAddress().get(), () -> snapshot(failover),
                    VersionProvider.version());
        } catch (IOException e) {
            throw KarpCliException.failure(e.getMessage());
        }
    }

    private static StatusSnapshot snapshot(VipFailover failover) {
        return StatusSnapshot.of(failover.status());
    }

    private static StatusServer startStatus(KarpConfig config, VipFailover failover) {
        if (config.statusAddress().isEmpty()) {
            return null;
        }
        InetSocketAddress address = config.statusAddress().get();
        try {
            return StatusServer.start(address, () -> snapshot(failover), failover::loopResponsive);
        } catch (IOException e) {
            // The message names the address and says to choose another --status-addr or 'off'.
            throw KarpCliException.failure(e.getMessage());
        }
    }
}
