package dev.karp.sniff;

import dev.karp.link.PcapHandles;
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
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * A live capture of CARP, VRRP and ARP frames on one interface through libpcap (pcap4j), the shell around
 * {@link SniffAnalyzer#live} for {@code karp sniff -i}. Like tcpdump it captures in promiscuous mode (so adverts
 * reach it on a NIC that filters multicast without joining the group) and in immediate mode, so a frame is
 * readable the moment it arrives: without it libpcap 1.10 on Linux hands frames over only when a ring block
 * retires, up to a second late (see {@code PcapLink}); {@link PcapHandles} opens it, as it does the daemon's. Reads wait at most {@link #POLL_MILLIS}, so a caller can
 * check for Ctrl-C, a count or a deadline between frames.
 */
public final class LiveCapture implements AutoCloseable {
    /**
     * CARP and VRRP (IP protocol 112, over IPv4 and IPv6, where it must follow the fixed header) and ARP
     * (gratuitous ARPs name the VIP): all {@code karp sniff} reads.
     */
    public static final String FILTER = "ip proto 112 or ip6 proto 112 or arp";
    /** The longest a read waits for a frame. */
    public static final int POLL_MILLIS = 100;
    /** Whole frames, as tcpdump's default. */
    private static final int SNAPLEN = 262_144;

    private final String interfaceName;
    private final PcapHandle handle;
    private volatile boolean woken;

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
            throw new LiveCaptureException(LiveCaptureException.Cause.BAD_INTERFACE,
                    PcapHandles.interfaceNotFound(interfaceName, names), null);
        }
        try {
            return new LiveCapture(interfaceName, PcapHandles.openLive(new PcapHandles.Live(interfaceName, SNAPLEN, true,
                    POLL_MILLIS, 0, FILTER, "karp sniff -i needs CAP_NET_RAW: run it as root, or capture with tcpdump -w"
                            + " and use karp sniff --read"), () -> names));
        } catch (PcapHandles.OpenException e) {
            LiveCaptureException.Cause cause = switch (e.failure()) {
                case NO_SUCH_INTERFACE, NOT_ETHERNET -> LiveCaptureException.Cause.BAD_INTERFACE;
                case NOT_PERMITTED -> LiveCaptureException.Cause.NOT_PERMITTED;
                case NO_LIBPCAP -> LiveCaptureException.Cause.NO_LIBPCAP;
                case BAD_FILE, FAILED -> LiveCaptureException.Cause.FAILED;
            };
            throw new LiveCaptureException(cause, e.getMessage(), e);
        }
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
        } catch (EOFException e) {
            if (woken) {
                return Optional.empty();
            }
            throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "capture on " + interfaceName
                    + " stopped: " + String.valueOf(e.getMessage()).strip(), e);
        } catch (PcapNativeException e) {
            throw new LiveCaptureException(LiveCaptureException.Cause.FAILED, "capture on " + interfaceName
                    + " stopped: " + String.valueOf(e.getMessage()).strip(), e);
        } catch (NotOpenException e) {
            throw new IllegalStateException("the capture is closed", e);
        }
    }

    /**
     * Makes a {@link #next()} waiting in another thread return (empty) at once. Safe from a signal handler. A read
     * should never wait longer than {@link #POLL_MILLIS}, but a Ctrl-C once went unanswered for 20 s in a loaded
     * lab: breaking libpcap's loop wakes its poll, whatever the kernel's timeout handling does.
     */
    public void wake() {
        woken = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // closed already: nothing waits
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
