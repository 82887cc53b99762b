package dev.karp.cli;

import dev.karp.carp.CarpPassword;
import dev.karp.carp.VipAddresses;
import dev.karp.net.Cidr;
import dev.karp.sniff.CaptureReadException;
import dev.karp.sniff.CapturedFrame;
import dev.karp.sniff.LiveCapture;
import dev.karp.sniff.LiveCaptureException;
import dev.karp.sniff.OfflineCapture;
import dev.karp.sniff.SniffAlerts;
import dev.karp.sniff.SniffAnalyzer;
import dev.karp.sniff.SniffConfig;
import dev.karp.sniff.SniffRecord;
import dev.karp.sniff.SniffReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code karp sniff}: decodes CARP and VRRP adverts, from a capture file ({@code --read}) or live from an
 * interface ({@code -i}), and tells who was master when; live, it also warns of split brain, bad digests and
 * VRRP routers on the vhid the moment it sees them.
 */
@Command(
        name = "sniff",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Decode the CARP (and VRRP) adverts, over IPv4 and IPv6, of a capture file (--read) or live on an"
                    + " interface (-i), one line each, then summarise per vhid who was master from when to when, changes of master, times with"
                    + " two masters and possible replays.",
            "Live, warnings come the moment the evidence does: two masters for one vhid (split brain), a peer whose"
                    + " HMAC does not verify with the password, a VRRP router using the vhid. It stops on Ctrl-C,"
                    + " --count or --duration, then prints the summary. Live capture needs CAP_NET_RAW (root).",
            "The HMAC covers every address of the vhid: give each with --vip (both families for a dual-stack vhid)."
                    + " Without --vip, each address announced by a gratuitous ARP is tried as the only VIP.",
            "",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  karp sniff -i eth0",
            "  karp sniff -i eth0 --vhid 7 --password-file /etc/karp/password --vip 10.200.0.100",
            "  karp sniff -i eth0 --duration 30 --write carp.pcap",
            "  karp sniff -i eth0 --count 10 --json | jq .",
            "  tcpdump -i eth0 -w carp.pcap 'ip proto 112 or ip6 proto 112 or arp'",
            "  karp sniff --read carp.pcap --passfile /etc/karp/password --vip 10.200.0.100 --vip fd00:200::100",
            "  karp sniff --read carp.pcap --vhid 7 --json | jq .",
        })
public final class SniffCommand implements Callable<Integer> {
    /** UCarp reads the passfile with fgets into 512 bytes; nothing past that matters. */
    private static final int PASSFILE_READ_LIMIT = 512;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PasswordOption password;

    @Option(names = "--vip", paramLabel = "IP",
            description = "an address of the vhid (UCarp --addr), IPv4 or IPv6, a /prefix is ignored; repeat it for every"
                    + " address: the HMAC covers them all")
    List<String> vips;

    @Option(names = "--vhid", paramLabel = "N", description = "only this vhid (CARP) or VRID (VRRP), 1..255")
    Integer vhid;

    @Option(names = "--auth", paramLabel = "MODE",
            description = "check digests as a node with --auth MODE does: ucarp (default), migrate or strict; a strict"
                    + " digest that verifies is marked (strict)")
    String auth;

    @Option(names = "--json", description = "one JSON object per advert (and warning) and one summary object, one per line")
    boolean json;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "live: stop after N adverts")
    Integer count;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "live: stop after this many seconds")
    Double duration;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE",
            description = "live: also write every captured frame to this pcap file (readable by tcpdump, tshark and"
                    + " --read); it appears when the capture ends")
    Path write;

    /** Where the frames come from. */
    static final class Source {
        @Option(names = {"-r", "--read"}, paramLabel = "FILE", required = true,
                description = "pcap or pcapng file to read, e.g. from tcpdump -w (Ethernet link type)")
        Path read;

        @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", required = true,
                description = "capture live on this interface (needs CAP_NET_RAW)")
        String iface;
    }

    /** The two ways to give the password, as in UCarp's -p and -o. */
    static final class PasswordOption {
        @Option(names = "--password", paramLabel = "P",
                description = "the shared password, to check HMACs (visible in ps; prefer --passfile)")
        String password;

        @Option(names = {"--passfile", "--password-file"}, paramLabel = "FILE",
                description = "file whose first line is the password, as UCarp's --passfile")
        Path passfile;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (source == null) {
            throw KarpCliException.usage("say what to read: --read FILE (a capture) or -i IFACE (live)");
        }
        if (source.read != null && (count != null || duration != null || write != null)) {
            throw KarpCliException.usage("--count, --duration and --write are for a live capture (-i IFACE),"
                    + " not for --read");
        }
        dev.karp.carp.AuthMode mode = auth == null ? dev.karp.carp.AuthMode.UCARP : dev.karp.carp.AuthMode.parse(auth)
                .orElseThrow(() -> KarpCliException.usage("--auth " + auth + " is not an authentication mode (expected: "
                        + dev.karp.carp.AuthMode.choices() + ")"));
        SniffConfig config = new SniffConfig(password(err), vips(), vhid(), mode);
        if (source.iface != null) {
            return live(config, out, err);
        }
        Path read = source.read;

        OfflineCapture.Capture capture;
        try {
            capture = OfflineCapture.read(read);
        } catch (CaptureReadException e) {
            throw e.kind() == CaptureReadException.Cause.NO_LIBPCAP
                    ? KarpCliException.failure(e.getMessage())
                    : KarpCliException.usage("cannot read " + e.getMessage());
        }
        capture.warning().ifPresent(w -> err.println("karp: warning: " + w));

        SniffReport report = SniffAnalyzer.analyze(config, capture.frames());
        if (json) {
            SniffJson.print(report, SniffJson.fileKey(read), out);
        } else {
            SniffText.print(report, read.toString(), out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The live capture: frames go to the file (all of them) and to the analyzer; adverts and warnings are
     * printed as they come; the summary when Ctrl-C, SIGTERM, --count or --duration ends it.
     */
    private int live(SniffConfig config, PrintWriter out, PrintWriter err) {
        if (count != null && count < 1) {
            throw KarpCliException.usage("--count " + count + " is out of range (expected: 1 or more)");
        }
        if (duration != null && !(duration > 0 && duration <= 365 * 86400.0)) {
            throw KarpCliException.usage("--duration " + duration + " is out of range (expected: more than 0 seconds)");
        }
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + (duration == null ? 0 : (long) (duration * 1e9));
        SniffAnalyzer analyzer = SniffAnalyzer.live(config);
        SniffAlerts alerts = new SniffAlerts(config.password().isPresent());
        int adverts = 0;
        String failure = null;
        try (LiveCapture capture = LiveCapture.open(source.iface);
                LiveCapture.Writer writer = write == null ? null : capture.writeTo(write)) {
            Signals.onTermination(() -> {
                stop.set(true);
                capture.wake();
            });
            err.println("karp: capturing CARP, VRRP and ARP on " + source.iface
                    + (write == null ? "" : " into " + write) + "; Ctrl-C to stop");
            err.flush();
            while (!stop.get() && (count == null || adverts < count)
                    && (duration == null || System.nanoTime() - deadline < 0)) {
                Optional<CapturedFrame> frame = capture.next();
                if (frame.isEmpty()) {
                    continue;
                }
                if (writer != null) {
                    writer.write(frame.get());
                }
                Optional<SniffRecord> record = analyzer.offer(frame.get());
                if (record.isEmpty()) {
                    continue;
                }
                adverts++;
                SniffRecord r = record.get();
                out.println(json ? SniffJson.line(SniffJson.packet(r)) : SniffText.line(r));
                for (SniffAlerts.Alert a : alerts.offer(r)) {
                    out.println(json ? SniffJson.line(SniffJson.alert(a, r.sinceStart())) : SniffText.alert(a, r.sinceStart()));
                }
                out.flush();
            }
        } catch (LiveCaptureException e) {
            switch (e.kind()) {
                case BAD_INTERFACE, BAD_OUTPUT -> throw KarpCliException.usage(e.getMessage());
                case NOT_PERMITTED, NO_LIBPCAP -> throw KarpCliException.failure(e.getMessage());
                default -> failure = e.getMessage();
            }
        }
        SniffReport report = analyzer.finish();
        if (json) {
            SniffJson.print(summaryOnly(report), SniffJson.interfaceKey(source.iface), out);
        } else {
            out.println();
            SniffText.print(summaryOnly(report), source.iface + " (live)", out);
        }
        out.flush();
        if (failure != null) {
            throw KarpCliException.failure(failure);
        }
        return ExitCodes.OK;
    }

    /** The summary alone: live, the adverts were printed as they came. */
    private static SniffReport summaryOnly(SniffReport report) {
        return new SniffReport(List.of(), report.summary());
    }

    private Optional<CarpPassword> password(PrintWriter err) {
        if (password == null) {
            return Optional.empty();
        }
        if (password.password != null) {
            try {
                return Optional.of(CarpPassword.of(password.password));
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage("--password: " + e.getMessage());
            }
        }
        Path file = password.passfile;
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(PASSFILE_READ_LIMIT);
        } catch (NoSuchFileException e) {
            throw KarpCliException.usage("--passfile " + file + ": no such file");
        } catch (IOException e) {
            throw KarpCliException.usage("--passfile " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        CarpPassword p;
        try {
            p = CarpPassword.fromPassfile(head);
        } catch (IllegalArgumentException e) {
            throw KarpCliException.usage("--passfile " + file + ": " + e.getMessage());
        }
        if (p.endsWithCarriageReturn()) {
            err.println("karp: warning: the first line of " + file + " ends with a carriage return (Windows line end);"
                    + " like UCarp, karp keeps it as part of the password");
        }
        return Optional.of(p);
    }

    private Optional<VipAddresses> vips() {
        if (vips == null || vips.isEmpty()) {
            return Optional.empty();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String vip : vips) {
            try {
                addresses.add(Cidr.parse(vip).address());
            } catch (IllegalArgumentException e) {
                throw KarpCliException.usage("--vip " + vip + " " + e.getMessage());
            }
        }
        return Optional.of(VipAddresses.of(addresses));
    }

    private OptionalInt vhid() {
        if (vhid == null) {
            return OptionalInt.empty();
        }
        if (vhid < 1 || vhid > 255) {
            throw KarpCliException.usage("--vhid " + vhid + " is out of range (expected: 1..255)");
        }
        return OptionalInt.of(vhid);
    }
}
