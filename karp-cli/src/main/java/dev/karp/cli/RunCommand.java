package dev.karp.cli;

import dev.karp.cli.options.RunOptions;
import dev.karp.config.ConfigException;
import dev.karp.config.ConfigLoader;
import dev.karp.config.HostInterfaces;
import dev.karp.config.LinuxHostInterfaces;
import dev.karp.config.LoadedConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code karp run}: the node daemon's command line. This class loads and checks the configuration; with
 * {@code --check-config} it prints the effective configuration and exits. The daemon loop itself (issue 3,
 * parts 1–3) is not in this class yet: without {@code --check-config} it says so and exits 1 rather than
 * pretend to run.
 */
@Command(
        name = "run",
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
        })
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

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
            return new ConfigLoader(host).load(options.given(), environment);
        } catch (ConfigException e) {
            throw KarpCliException.usage(e.getMessage());
        }
    }

    @Override
    public Integer call() {
        LoadedConfig loaded = loadConfig();
        PrintWriter err = spec.commandLine().getErr();
        loaded.warnings().forEach(w -> err.println("karp: warning: " + w));
        if (!checkConfig) {
            throw KarpCliException.failure("the daemon loop is not part of this build yet; "
                    + "'karp run --check-config' checks and prints the configuration");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("# karp run: effective configuration (the password is never shown)");
        loaded.describe().forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }
}
