package dev.karp.link;

import dev.karp.log.KarpLogging;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The one place karp opens libpcap handles (pcap4j): live on an interface, for the daemon's
 * {@link PcapLink} and {@code karp sniff -i}, or on a capture file for {@code karp sniff --read}.
 * It turns pcap4j's failures into one line naming the problem and the fix, with a {@link Failure}
 * for the caller's exit code.
 *
 * <p>Live handles are always in <b>immediate mode</b>: without it libpcap 1.10 on Linux uses
 * TPACKET_V3 and hands frames over only when a ring block retires, up to 1 s late (ucarp-spec
 * §1.6, cap 00). A live handle is an Ethernet one with its BPF filter set, or not opened at all.
 */
public final class PcapHandles {
    /** Also sets pcap4j's own logging (through slf4j) to warnings before pcap4j first logs; see {@link KarpLogging}. */
    private static final Logger LOG = KarpLogging.logger(PcapHandles.class);
    /** pcap_activate results (pcap/pcap.h). */
    static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    static final int PCAP_ERROR_PERM_DENIED = -8;

    private PcapHandles() {
    }

    /** What went wrong, for the caller's exit code. */
    public enum Failure {
        /** The interface does not exist. */
        NO_SUCH_INTERFACE,
        /** The interface or file does not carry Ethernet frames. */
        NOT_ETHERNET,
        /** No CAP_NET_RAW. */
        NOT_PERMITTED,
        /** libpcap is not installed or cannot be loaded. */
        NO_LIBPCAP,
        /** The file does not exist, cannot be read or is not a capture libpcap reads. */
        BAD_FILE,
        /** libpcap failed otherwise. */
        FAILED
    }

    /** A handle could not be opened; the message is one line naming the problem and the fix. */
    public static final class OpenException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;

        OpenException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /**
     * How to open a live capture.
     *
     * @param interfaceName  the interface, e.g. {@code eth0}
     * @param snaplen        bytes kept of each frame
     * @param promiscuous    whether to see frames not addressed to this host
     * @param timeoutMillis  libpcap's read timeout
     * @param bufferBytes    the kernel ring's size, or 0 for libpcap's default
     * @param filter         the BPF filter, compiled with optimisation
     * @param permissionFix  what the program needs, for the message when CAP_NET_RAW is missing,
     *                       e.g. {@code karp needs CAP_NET_RAW and CAP_NET_ADMIN}
     */
    public record Live(String interfaceName, int snaplen, boolean promiscuous, int timeoutMillis, int bufferBytes,
            String filter, String permissionFix) {
        public Live {
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(permissionFix, "permissionFix");
        }
    }

    /**
     * Opens a live capture in the calling thread's network namespace, checks that it is Ethernet
     * and sets the filter.
     *
     * @param available the interface names there are, for the message when the interface is not found
     */
    public static PcapHandle openLive(Live live, Supplier<List<String>> available) throws OpenException {
        String name = live.interfaceName();
        PcapHandle handle;
        try {
            PcapHandle.Builder builder = new PcapHandle.Builder(name)
                    .snaplen(live.snaplen())
                    .promiscuousMode(live.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(live.timeoutMillis())
                    .immediateMode(true);
            if (live.bufferBytes() > 0) {
                builder.bufferSize(live.bufferBytes());
            }
            handle = builder.build();
        } catch (PcapNativeException e) {
            Integer rc = e.getReturnCode();
            if (rc != null && rc == PCAP_ERROR_PERM_DENIED) {
                throw new OpenException(Failure.NOT_PERMITTED, notPermitted(name, e.getMessage(), live.permissionFix()), e);
            }
            if (rc != null && rc == PCAP_ERROR_NO_SUCH_DEVICE) {
                throw new OpenException(Failure.NO_SUCH_INTERFACE, interfaceNotFound(name, available.get()), e);
            }
            throw new OpenException(Failure.FAILED, "cannot capture on " + name + " with libpcap: " + firstLine(e), e);
        } catch (LinkageError e) {
            throw noLibpcap(e);
        }
        try {
            DataLinkType dlt = handle.getDlt();
            if (!DataLinkType.EN10MB.equals(dlt)) {
                throw new OpenException(Failure.NOT_ETHERNET, "interface " + name + " does not carry Ethernet frames (link"
                        + " type " + dlt + "); CARP needs an Ethernet interface, check --interface", null);
            }
            handle.setFilter(live.filter(), BpfCompileMode.OPTIMIZE);
            LOG.fine(() -> "capturing on " + name + " with filter \"" + live.filter() + "\"");
            return handle;
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new OpenException(Failure.FAILED, "cannot set up libpcap on " + name + ": " + firstLine(e), e);
        } catch (OpenException e) {
            handle.close();
            throw e;
        }
    }

    /**
     * Opens a pcap or pcapng file; timestamps in microseconds, as tcpdump writes them (libpcap
     * scales nanosecond files down). Checks that it holds Ethernet frames.
     */
    public static PcapHandle openOffline(Path file) throws OpenException {
        try {
            // Loads libpcap; pcap4j reports a missing library only here, later calls fail vaguely.
            Pcaps.libVersion();
        } catch (LinkageError e) {
            throw noLibpcap(e);
        }
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(file.toString());
        } catch (PcapNativeException e) {
            throw new OpenException(Failure.BAD_FILE, file + ": not a capture file libpcap can read (" + firstLine(e)
                    + "); expected a pcap or pcapng file, as written by tcpdump -w", e);
        }
        DataLinkType dlt = handle.getDlt();
        if (!DataLinkType.EN10MB.equals(dlt)) {
            handle.close();
            throw new OpenException(Failure.NOT_ETHERNET, file + ": link type " + dlt + " (expected: Ethernet); capture"
                    + " on the interface itself, e.g. tcpdump -i eth0 -w FILE, not -i any", null);
        }
        return handle;
    }

    /** {@code interface eth9 not found (available: eth0, lo); check --interface}. */
    public static String interfaceNotFound(String name, List<String> available) {
        return "interface " + name + " not found (available: " + String.join(", ", available) + "); check --interface";
    }

    /** {@code cannot capture on eth0: Operation not permitted; } and the fix. */
    static String notPermitted(String name, String pcapMessage, String fix) {
        return "cannot capture on " + name + ": " + permissionDetail(pcapMessage) + "; " + fix;
    }

    /**
     * The errno text of libpcap's message: 1.10 says {@code socket: Operation not permitted},
     * older ones {@code You don't have permission to capture on that device (socket: Operation
     * not permitted)}.
     */
    static String permissionDetail(String pcapMessage) {
        String m = pcapMessage == null ? "" : pcapMessage.strip();
        int at = m.lastIndexOf("socket: ");
        if (at >= 0) {
            String rest = m.substring(at + "socket: ".length());
            return rest.endsWith(")") ? rest.substring(0, rest.length() - 1) : rest;
        }
        return m.isEmpty() ? "Operation not permitted" : m;
    }

    static OpenException noLibpcap(LinkageError e) {
        String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
        return new OpenException(Failure.NO_LIBPCAP, "cannot load libpcap (" + why + "); install it: apt-get install"
                + " libpcap0.8 (Debian, Ubuntu) or your distribution's libpcap package", e);
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
    }
}
