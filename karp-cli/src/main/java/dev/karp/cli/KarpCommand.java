package dev.karp.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: only lists the subcommands; each one lives in its own class. */
@Command(
        name = "karp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A UCarp-compatible floating IP (CARP) for Kubernetes control planes.",
        subcommands = {
            // Each subcommand is its own class; add new ones here.
            RunCommand.class,
            StatusCommand.class,
            HealthcheckCommand.class,
            SniffCommand.class,
            RenderManifestCommand.class,
            KubeconfigCommand.class,
            SanCommand.class,
            CompletionCommand.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp run -i eth0 -v 7 --password-file /etc/karp/password --vip 10.200.0.100/24",
            "  karp status --watch",
            "  karp sniff -i eth0 --password-file /etc/karp/password --vip 10.200.0.100",
            "  karp sniff --read capture.pcap --password-file /etc/karp/password --vip 10.200.0.100",
            "  source <(karp completion)",
        })
public final class KarpCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; see 'karp --help'");
    }
}
