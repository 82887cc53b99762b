package dev.karp.cli;

import dev.karp.carp.Carp;
import dev.karp.carp.CarpPassword;
import dev.karp.sniff.CaptureReadException;
import dev.karp.sniff.OfflineCapture;
import dev.karp.sniff.SniffAnalyzer;
import dev.karp.sniff.SniffConfig;
import dev.karp.sniff.SniffReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code karp sniff --read FILE}: decodes the CARP and VRRP adverts of a capture and tells who was master when. */
@Command(
        name = "sniff",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Decode the CARP (and VRRP) adverts of a capture file, one line each, then summarise per vhid who"
                    + " was master from when to when, changes of master, times with two masters and possible replays.",
            "Without --vip, the addresses announced by gratuitous ARPs in the capture are tried as the VIP."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpdump -i eth0 -w carp.pcap 'ip proto 112 or arp'",
            "  karp sniff --read carp.pcap",
            "  karp sniff --read carp.pcap --passfile /etc/karp/password --vip 10.200.0.100",
            "  karp sniff --read carp.pcap --vhid 7 --json | jq .",
        })
public final class SniffCommand implements Callable<Integer> {
    /** UCarp reads the passfile with fgets into 512 bytes; nothing past that matters. */
    private static final int PASSFILE_READ_LIMIT = 512;
    /**
     * pcap4j logs every library load, open and close at INFO through slf4j-jdk14, which would
     * print them on stderr between sniff's own lines. Held here so the level set in {@link #call}
     * is not lost when java.util.logging drops an unreferenced logger.
     */
    private static final Logger PCAP4J_LOG = Logger.getLogger("org.pcap4j");

    @Spec
    CommandSpec spec;

    @Option(names = "--read", paramLabel = "FILE", required = true,
            description = "pcap or pcapng file to read, e.g. from tcpdump -w (Ethernet link type)")
    Path read;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PasswordOption password;

    @Option(names = "--vip", paramLabel = "IP", description = "the VIP (UCarp --addr), part of the HMAC")
    String vip;

    @Option(names = "--vhid", paramLabel = "N", description = "only this vhid (CARP) or VRID (VRRP), 1..255")
    Integer vhid;

    @Option(names = "--json", description = "one JSON object per advert and one summary object, one per line")
    boolean json;

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
        if (PCAP4J_LOG.getLevel() == null) {
            PCAP4J_LOG.setLevel(Level.WARNING);
        }
        SniffConfig config = new SniffConfig(password(err), vip(), vhid());

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
            SniffJson.print(report, read, out);
        } else {
            SniffText.print(report, read, out);
        }
        out.flush();
        return ExitCodes.OK;
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

    private Optional<Inet4Address> vip() {
        if (vip == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Carp.parseIpv4(vip));
        } catch (IllegalArgumentException e) {
            throw KarpCliException.usage("--vip: " + e.getMessage());
        }
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
