package dev.karp.cli;

import dev.karp.files.RegularFiles;
import dev.karp.kube.AtomicFiles;
import dev.karp.kube.Distro;
import dev.karp.kube.HostPort;
import dev.karp.kube.SanChecker;
import dev.karp.kube.SanPatcher;
import dev.karp.kube.ServedCertificate;
import dev.karp.kube.UnifiedDiff;
import dev.karp.kube.VipAddresses;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code karp san}: the API server certificate's subject alternative names and the VIP. */
@Command(
        name = "san",
        mixinStandardHelpOptions = true,
        description = "Check or extend the API server certificate's SANs for the VIP.",
        subcommands = {SanCommand.CheckCommand.class, SanCommand.PatchCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp san check --server 192.168.1.11:6443 --vip 192.168.1.100",
            "  karp san patch --distro kubeadm --vip 192.168.1.100"})
public final class SanCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; see 'karp san --help'");
    }

    /** Runs {@code parse}; its IllegalArgumentException is a usage error (exit 2). */
    private static <T> T usage(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw KarpCliException.usage(e.getMessage());
        }
    }

    /** {@code karp san check}: reads a server's certificate (trusting nothing) and says whether it covers the VIP. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Connects with TLS, prints the served certificate's SANs and exits 0 if it covers every --vip, 1 if"
                    + " not (naming each VIP it lacks)."
                    + " The certificate is only read, never trusted; nothing else is sent."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  karp san check --server 192.168.1.11:6443 --vip 192.168.1.100",
                "  karp san check --server [fd00::11]:6443 --vip fd00::100",
                "  karp san check --server 192.168.1.11:6443 --vip 192.168.1.100 --vip fd00::100"})
    public static final class CheckCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "The API server (default port 6443).")
        String server;

        @Option(names = "--vip", paramLabel = "IP", description = "An address (or name) the certificate must cover;"
                + " repeatable: every VIP, IPv4 and IPv6 (a /prefix is ignored).")
        List<String> vips = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "Connect and handshake timeout (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            HostPort target;
            try {
                target = HostPort.parse(server, 6443);
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage("--server " + e.getMessage());
            }
            // Addresses compare as addresses (fd00:200:0::100 is fd00:200::100); a name stays a name.
            List<String> wanted = new ArrayList<>();
            for (String v : vips) {
                String shown = IpAddresses.parse(v.strip()).isPresent() || v.contains("/")
                        ? IpAddresses.format(usage(() -> VipAddresses.parse(v, "--vip"))) : v.strip();
                if (!wanted.contains(shown)) {
                    wanted.add(shown);
                }
            }
            ServedCertificate cert;
            try {
                cert = new SanChecker(Duration.ofSeconds(timeoutSeconds)).fetch(target.host(), target.port());
            } catch (IOException e) {
                throw KarpCliException.failure("cannot read the certificate at " + target + ": " + e.getMessage()
                        + "; check --server and that the API server listens there");
            }
            out.println("server:  " + target);
            out.println("subject: " + cert.subject());
            out.println("expires: " + cert.notAfter());
            out.println("SANs:    " + (cert.sans().isEmpty() ? "(none)"
                    : cert.sans().stream().map(Object::toString).collect(Collectors.joining(", "))));
            List<String> missing = new ArrayList<>();
            for (String v : wanted) {
                boolean covered = cert.covers(v);
                out.println("VIP " + v + ": " + (covered ? "covered" : "NOT covered"));
                if (!covered) {
                    missing.add(v);
                }
            }
            if (missing.isEmpty()) {
                return ExitCodes.OK;
            }
            out.println("fix:     karp san patch --distro <rke|rke2|k3s|kubeadm|talos|k0s|microk8s> "
                    + missing.stream().map(v -> "--vip " + v).collect(Collectors.joining(" ")));
            return ExitCodes.FAILURE;
        }
    }

    /** {@code karp san patch}: the change that adds the VIP to the certificate, printed or made in a file. */
    @Command(
            name = "patch",
            mixinStandardHelpOptions = true,
            description = {
                "Prints how to add the VIP to the API server certificate for a distribution, and the steps"
                    + " that apply it. With --file, edits that config file instead (backup, atomic write, idempotent)."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  karp san patch --distro kubeadm --vip 192.168.1.100",
                "  sudo karp san patch --distro rke2 --vip 192.168.1.100 --file /etc/rancher/rke2/config.yaml.d/90-karp.yaml",
                "  karp san patch --distro talos --vip 192.168.1.100 --file controlplane.yaml --dry-run"})
    public static final class PatchCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--distro", required = true, paramLabel = "NAME", description = "rke, rke2, k3s, kubeadm, talos, k0s or microk8s.")
        String distro;

        @Option(names = "--vip", required = true, paramLabel = "IP", description = "The VIP to add; repeatable for"
                + " several, IPv4 and IPv6 (a /prefix is ignored).")
        List<String> vips = new ArrayList<>();

        @Option(names = "--file", paramLabel = "PATH", description = "Edit this config file (a k3s/RKE2 config.yaml.d drop-in is created if missing).")
        Path file;

        @Option(names = "--dry-run", description = "With --file: print a unified diff and change nothing.")
        boolean dryRun;

        Clock clock = Clock.systemDefaultZone();

        /** Far more than any distribution's config; a bigger file is a mistake (or a device). */
        private static final long MAX_CONFIG_BYTES = 1024 * 1024;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Distro d;
            List<InetAddress> addresses;
            try {
                d = Distro.fromCli(distro);
                addresses = VipAddresses.parseAll(vips, "--vip");
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage(e.getMessage());
            }
            if (file == null) {
                out.print(SanPatcher.instructions(d, addresses));
                return ExitCodes.OK;
            }
            boolean mayCreate = (d == Distro.K3S || d == Distro.RKE2) && SanPatcher.isDropIn(file);
            if (!Files.exists(file) && !mayCreate) {
                throw KarpCliException.usage("--file " + file + " does not exist (expected: the " + d.cliName()
                        + " config, e.g. " + SanPatcher.defaultFile(d) + ")");
            }
            String before;
            try {
                before = Files.exists(file)
                        ? new String(RegularFiles.read(file, MAX_CONFIG_BYTES), StandardCharsets.UTF_8) : "";
            } catch (RegularFiles.RefusedException e) {
                throw KarpCliException.usage("--file " + file + " " + e.getMessage() + "; karp edits only regular"
                        + " files (after following links)");
            } catch (IOException e) {
                throw KarpCliException.failure("--file " + file + " cannot be read: " + RegularFiles.reason(e));
            }
            SanPatcher.Patched patched;
            try {
                patched = SanPatcher.patch(d, file, before, addresses);
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage(e.getMessage());
            }
            if (!patched.changed()) {
                out.println(patched.summary());
                return ExitCodes.OK;
            }
            if (dryRun) {
                out.print(UnifiedDiff.of(file.toString().replaceFirst("^/", ""), before, patched.text()));
                return ExitCodes.OK;
            }
            AtomicFiles.Written w;
            try {
                w = new AtomicFiles(clock).replace(file, patched.text());
            } catch (RegularFiles.RefusedException e) {
                throw KarpCliException.usage("--file " + file + " " + e.getMessage());
            } catch (IOException e) {
                throw KarpCliException.failure(e.getMessage());
            }
            out.println(patched.summary());
            w.backup().ifPresent(b -> out.println("backup: " + b));
            out.println(SanPatcher.nextSteps(d, file, addresses));
            return ExitCodes.OK;
        }
    }
}
