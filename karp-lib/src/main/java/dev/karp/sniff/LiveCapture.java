package dev.karp.sniff;

import java.io.EOFException;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A live capture of CARP, VRRP and ARP frames on one interface through libpcap (pcap4j), the shell around
 * {@link SniffAnalyzer#live} for {@code karp sniff -i}. Like tcpdump it captures in promiscuous mode (so adverts
 * reach it on a NIC that filters multicast without joining the group) and in immediate mode, so a frame is
 * readable the moment it arrives: without it libpcap 1.10 on Linux hands frames over only when a ring block
 * retires, up to a second late (see {@code PcapLink}). Reads wait at most {@link #POLL_MILLIS}, so a caller can
 * check for Ctrl-C, a count or a deadline between frames.
 */
public final class LiveCapture implements AutoCloseable {
    /** CARP and VRRP (IP protocol 112) and ARP (gratuitous ARPs name the VIP): all {@code karp sniff} reads. */
    public static final String FILTER = "ip proto 112 or arp";
    /** The longest a read waits for a frame. */
    public static final int POLL_MILLIS = 100;
    /** Whole frames, as tcpdump's default. */
    private static final int SNAPLEN = 262_144;
    /** pcap_activate results (pcap/pcap.h). */
    private static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    private static final int PCAP_ERROR_PERM_DENIED = -8;

    private final String interfaceName;
    private final PcapHandle handle;

    private LiveCapture(String interfaceName, PcapHandle handle) {
        this.interfaceName = interfaceName;
        this.handle = handle;
    }

    /**
     * Starts capturing on {@code interfaceName} in the calling thread's network namespace.
     *
     * @throws LiveCaptureException no such interface (listing those there are), not Ethernet, no CAP_NET_RAW,
     *                              libpcap missing
     */
    public static LiveCapture open(String interfaceName) throws LiveCaptureException {
        List<String> names = interfaceNames();
        if (!names.contains(interfaceName)) {
            throw new LiveCaptureException(LiveCaptureException.Cause.BAD_INTERFACE, "interface " + interfaceName
                    + " not found (available: " + String.join(", ", names) + "); check --interface", null);
        }
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(interfaceName)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.PROMISCUOUS)
                    .timeoutMillis(POLL_MILLIS)
                    .immediateMode(true)
                    .build();
        } catch (PcapNativeException e) {
            Integer rc = e.getReturnCode();
            if (rc != null && rc == PCAP_ERROR_PERM_DENIED) {
                throw new LiveCaptureException(LiveCaptureException.Cause.NOT_PERMITTED, "cannot capture on "
                        + interfaceName + ": " + permissionDetail(e.getMessage()) + "; karp sniff -i needs CAP_NET_RAW:"
                        + " run it as root, or capture with tcpdump -w and use karp sniff --read", e);
            }
            if (rc != null && rc == PCAP_ERROR_NO_SUCH_DEVICE) {
                throw new LiveCaptureException(LiveCaptureException.Cause.BAD_INTERFACE, "interface " + interfaceName
                        + " not found (available: " + String.join(", ", names) + "); check --interface", e);
            }
            throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "cannot capture on " + interfaceName
                    + " with libpcap: " + String.valueOf(e.getMessage()).strip(), e);
        } catch (LinkageError e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            throw new LiveCaptureException(LiveCaptureException.Cause.NO_LIBPCAP, "cannot load libpcap (" + why
                    + "); install it: apt-get install libpcap0.8 (Debian, Ubuntu) or your distribution's libpcap package", e);
        }
        try {
            DataLinkType dlt = handle.getDlt();
            if (!DataLinkType.EN10MB.equals(dlt)) {
                throw new LiveCaptureException(LiveCaptureException.Cause.BAD_INTERFACE, "interface " + interfaceName
                        + " does not carry Ethernet frames (link type " + dlt + "); CARP needs an Ethernet interface,"
                        + " check --interface", null);
            }
            handle.setFilter(FILTER, BpfCompileMode.OPTIMIZE);
            return new LiveCapture(interfaceName, handle);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "cannot set up libpcap on "
                    + interfaceName + ": " + e.getMessage(), e);
        } catch (LiveCaptureException e) {
            handle.close();
            throw e;
        }
    }

    /** libpcap 1.10 says {@code socket: Operation not permitted}; keep the errno text. */
    static String permissionDetail(String pcapMessage) {
        String m = pcapMessage == null ? "" : pcapMessage.strip();
        int at = m.lastIndexOf("socket: ");
        if (at >= 0) {
            String rest = m.substring(at + "socket: ".length());
            return rest.endsWith(")") ? rest.substring(0, rest.length() - 1) : rest;
        }
        return m.isEmpty() ? "Operation not permitted" : m;
    }

    private static List<String> interfaceNames() throws LiveCaptureException {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName).sorted().toList();
        } catch (SocketException e) {
            throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "cannot list the interfaces: "
                    + e.getMessage(), e);
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    /**
     * The next frame, waiting at most {@link #POLL_MILLIS}.
     *
     * @return empty when none arrived in that time
     * @throws LiveCaptureException when libpcap reports an error (the interface went away, say)
     */
    public Optional<CapturedFrame> next() throws LiveCaptureException {
        try {
            byte[] raw = handle.getNextRawPacketEx();
            Timestamp ts = handle.getTimestamp();
            return Optional.of(new CapturedFrame(ts.toInstant(), raw));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (EOFException | PcapNativeException e) {
            throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "capture on " + interfaceName
                    + " stopped: " + String.valueOf(e.getMessage()).strip(), e);
        } catch (NotOpenException e) {
            throw new IllegalStateException("the capture is closed", e);
        }
    }

    /**
     * Starts writing a pcap file (tcpdump's format, microsecond timestamps, this capture's link type and snap
     * length). The file appears under its name only when the writer is closed: until then it is a hidden
     * temporary file beside it, so no reader ever sees a half-written capture under the name asked for.
     *
     * @throws LiveCaptureException the directory does not exist or cannot be written
     */
    public Writer writeTo(Path file) throws LiveCaptureException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new LiveCaptureException(LiveCaptureException.Cause.BAD_OUTPUT, "--write " + file
                    + ": is a directory (expected: a file name)", null);
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new LiveCaptureException(LiveCaptureException.Cause.BAD_OUTPUT, "--write " + file
                    + ": no such directory " + dir, null);
        }
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new LiveCaptureException(LiveCaptureException.Cause.BAD_OUTPUT, "--write " + file
                    + ": cannot create a file in " + dir + " (" + e.getMessage() + ")", e);
        }
        try {
            return new Writer(handle.dumpOpen(temp.toString()), temp, target);
        } catch (PcapNativeException | NotOpenException e) {
            deleteQuietly(temp);
            throw new LiveCaptureException(LiveCaptureException.Cause.BAD_OUTPUT, "--write " + file + ": "
                    + String.valueOf(e.getMessage()).strip(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a temporary file left behind is hidden and named after the capture
        }
    }

    @Override
    public void close() {
        handle.close();
    }

    /** Writes captured frames to a pcap file; {@link #close()} puts it in place. */
    public static final class Writer implements AutoCloseable {
        private final PcapDumper dumper;
        private final Path temp;
        private final Path target;
        private int frames;
        private boolean closed;

        private Writer(PcapDumper dumper, Path temp, Path target) {
            this.dumper = dumper;
            this.temp = temp;
            this.target = target;
        }

        /** Appends a frame with its capture time; flushed at once, so a crash loses at most this frame. */
        public void write(CapturedFrame frame) throws LiveCaptureException {
            try {
                dumper.dumpRaw(frame.bytes(), Timestamp.from(frame.time()));
                dumper.flush();
                frames++;
            } catch (NotOpenException | PcapNativeException e) {
                throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "cannot write " + target + ": "
                        + e.getMessage(), e);
            }
        }

        /** Frames written so far. */
        public int frames() {
            return frames;
        }

        public Path file() {
            return target;
        }

        /** Closes the file and renames it to the name asked for, replacing any file there. Idempotent. */
        @Override
        public void close() throws LiveCaptureException {
            if (closed) {
                return;
            }
            closed = true;
            dumper.close();
            try {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "cannot put the capture in place"
                        + " as " + target + " (" + e.getMessage() + "); it is in " + temp, e);
            }
        }
    }
}
