package dev.karp.cli;

import dev.karp.files.RegularFiles;
import dev.karp.kube.KubeconfigLock;
import dev.karp.kube.AtomicFiles;
import dev.karp.kube.CertificateFetcher;
import dev.karp.kube.KubeconfigRewriter;
import dev.karp.kube.KubeconfigRewriter.CheckResult;
import dev.karp.kube.KubeconfigRewriter.Selection;
import dev.karp.kube.SanChecker;
import dev.karp.kube.ServedCertificate;
import dev.karp.kube.VipAddresses;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code karp kubeconfig}: groups the kubeconfig commands. */
@Command(
        name = "kubeconfig",
        mixinStandardHelpOptions = true,
        description = "Edit kubeconfig files for the VIP.",
        subcommands = KubeconfigCommand.RewriteCommand.class,
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp kubeconfig rewrite --vip 192.168.1.100 --dry-run",
            "  karp kubeconfig rewrite --vip 192.168.1.100 --context prod"})
public final class KubeconfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; see 'karp kubeconfig --help'");
    }

    /** {@code karp kubeconfig rewrite}: points clusters' {@code server} at the VIP. */
    @Command(
            name = "rewrite",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Points a cluster's server at the VIP, keeping scheme, port and everything else in the file."
                    + " First checks that the certificate served at the VIP covers it; writes a backup beside the file."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  karp kubeconfig rewrite --vip 192.168.1.100 --dry-run",
                "  karp kubeconfig rewrite --vip 192.168.1.100 --context prod",
                "  karp kubeconfig rewrite --vip 192.168.1.100 --all --kubeconfig ~/.kube/lab.yaml",
                "  karp kubeconfig rewrite --vip fd00::100 --tls-server-name kubernetes"})
    public static final class RewriteCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--vip", required = true, paramLabel = "IP", description = "The VIP (IPv4 or IPv6; a /prefix"
                + " is ignored). With several VIPs, the one clients should use: a server URL has one address.")
        List<String> vips = new ArrayList<>();

        @Option(names = "--port", paramLabel = "PORT", description = "Use this port instead of each server's own.")
        Integer port;

        @ArgGroup(exclusive = true)
        Which which;

        static final class Which {
            @Option(names = "--cluster", paramLabel = "NAME", description = "Rewrite this cluster.")
            String cluster;

            @Option(names = "--context", paramLabel = "NAME", description = "Rewrite the cluster of this context.")
            String context;

            @Option(names = "--all", description = "Rewrite every cluster.")
            boolean all;
        }

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The file to edit (default: $KUBECONFIG, else ~/.kube/config).")
        Path kubeconfig;

        @Option(names = "--tls-server-name", paramLabel = "NAME", description = "Also set tls-server-name: verify the certificate against NAME, for one that lacks the VIP.")
        String tlsServerName;

        @Option(names = "--dry-run", description = "Print a unified diff and change nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Write even if the certificate at the VIP does not cover it, or cannot be read.")
        boolean force;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "Connect and handshake timeout (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        /** Tests replace the network and the environment; main uses the real ones. */
        CertificateFetcher fetcher;
        String kubeconfigEnv = System.getenv("KUBECONFIG");
        Path home = Path.of(System.getProperty("user.home"));
        Clock clock = Clock.systemDefaultZone();

        /** How long to wait for kubectl (or another karp) to finish its edit of the same file. */
        private static final Duration LOCK_WAIT = Duration.ofSeconds(5);

        @Override
        public Integer call() {
            InetAddress address;
            List<Path> files;
            try {
                if (vips.size() > 1) {
                    throw new IllegalArgumentException("--vip is given " + vips.size() + " times, but a kubeconfig"
                            + " server has one address; give the one VIP clients should use (e.g. the IPv4 one of a"
                            + " dual-stack pair, or the API server's group)");
                }
                address = VipAddresses.parse(vips.get(0), "--vip");
                if (port != null && (port < 1 || port > 65535)) {
                    throw new IllegalArgumentException("--port " + port + " is out of range (expected: 1..65535)");
                }
                files = KubeconfigRewriter.files(Optional.ofNullable(kubeconfig), kubeconfigEnv, home);
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage(e.getMessage());
            }
            if (dryRun) {
                return rewrite(address, files);
            }
            // kubectl's lock, from before the read to after the rename: a concurrent edit waits, not lost.
            try (KubeconfigLock lock = KubeconfigLock.acquire(files, LOCK_WAIT)) {
                return rewrite(address, files);
            } catch (IOException e) {
                throw KarpCliException.failure(e.getMessage());
            }
        }

        private int rewrite(InetAddress address, List<Path> files) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<String> serverName = Optional.ofNullable(tlsServerName).filter(s -> !s.isBlank());
            KubeconfigRewriter.Plan plan;
            try {
                plan = KubeconfigRewriter.plan(files, new KubeconfigRewriter.Request(address,
                        port == null ? OptionalInt.empty() : OptionalInt.of(port), selection(), serverName));
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage(e.getMessage());
            } catch (IllegalStateException e) {
                throw KarpCliException.failure(e.getMessage());
            } catch (IOException e) {
                throw KarpCliException.failure("cannot read the kubeconfig: " + RegularFiles.reason(e));
            }
            if (plan.changesNothing()) {
                out.println("the chosen clusters already point at " + IpAddresses.format(address) + "; nothing to change");
                return ExitCodes.OK;
            }
            CertificateFetcher f = fetcher != null ? fetcher : new SanChecker(Duration.ofSeconds(timeoutSeconds));
            List<CheckResult> checks = KubeconfigRewriter.check(plan, f);
            List<String> problems = checks.stream().filter(c -> !c.ok()).map(c -> problem(c, address)).toList();
            if (dryRun) {
                plan.edits().forEach(e -> out.print(e.diff()));
                out.flush();
                problems.forEach(p -> err.println("karp: note: a real run would refuse: " + p));
                return ExitCodes.OK;
            }
            if (!problems.isEmpty() && !force) {
                throw KarpCliException.failure(String.join("\nkarp: ", problems) + "; nothing was changed");
            }
            problems.forEach(p -> err.println("karp: warning (--force): " + p));
            List<AtomicFiles.Written> written;
            try {
                written = plan.apply(new AtomicFiles(clock));
            } catch (RegularFiles.RefusedException e) {
                throw KarpCliException.usage("kubeconfig " + e.getMessage());
            } catch (IOException e) {
                throw KarpCliException.failure(e.getMessage());
            }
            for (KubeconfigRewriter.Change c : plan.changes()) {
                out.println("cluster \"" + c.cluster() + "\" in " + c.file() + ": " + c.oldServer() + " -> " + c.newServer()
                        + serverName.map(n -> " (tls-server-name: " + n + ")").orElse(""));
            }
            for (AtomicFiles.Written w : written) {
                w.backup().ifPresent(b -> out.println("backup: " + b));
            }
            return ExitCodes.OK;
        }

        private Selection selection() {
            if (which == null) {
                return new Selection.CurrentContext();
            }
            if (which.all) {
                return new Selection.All();
            }
            return which.cluster != null ? new Selection.Cluster(which.cluster) : new Selection.Context(which.context);
        }

        /** One line: what is wrong at the VIP, and the exact commands that fix it. */
        private static String problem(CheckResult c, InetAddress vip) {
            String v = IpAddresses.format(vip);
            String at = c.endpoint().server().toString();
            if (c.certificate().isEmpty()) {
                return "cannot read the certificate at " + at + " (" + c.error().orElse("no answer")
                        + "); is karp running and holding the VIP? Check with: karp san check --server " + at
                        + " --vip " + v + ", or pass --force to write anyway";
            }
            ServedCertificate cert = c.certificate().get();
            String sans = cert.sans().stream().map(Object::toString).collect(Collectors.joining(", "));
            String name = c.endpoint().name();
            if (!IpAddresses.parse(name).map(vip::equals).orElse(false)) {
                // The client verifies tls-server-name (given now, or already in the file), not the VIP.
                return "the certificate at " + at + " does not cover tls-server-name " + name + " (SANs: " + sans
                        + "); pass --tls-server-name with a name it has, or --force";
            }
            String dnsName = cert.sans().stream().filter(s -> s.type() == ServedCertificate.SubjectAltName.Type.DNS)
                    .map(ServedCertificate.SubjectAltName::value)
                    .filter(n -> !n.startsWith("*"))
                    .sorted((a, b) -> a.equals("kubernetes") ? -1 : b.equals("kubernetes") ? 1 : 0)
                    .findFirst().orElse(null);
            return "the certificate at " + at + " does not cover " + v + " (SANs: " + sans + ")"
                    + ", so kubectl would fail with \"x509: certificate is valid for ..., not " + v + "\". Add the VIP to"
                    + " the certificate first: karp san patch --distro <rke|rke2|k3s|kubeadm|talos|k0s|microk8s> --vip " + v
                    + (dnsName != null ? "; or rewrite now with --tls-server-name " + dnsName + " (a name it has)" : "")
                    + "; or --force";
        }
    }
}
