package dev.karp.link;

import dev.karp.carp.MacAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The node's attachment to the CARP segment: it sends complete Ethernet frames and receives the
 * CARP frames of other hosts (IP protocol 112; none it sent itself), and who answers for the VIPs (ARP, IPv6
 * neighbour advertisements) when the link was opened with them.
 *
 * <p>Made for one single-threaded daemon loop that waits for whichever comes first, a frame or
 * its next timer:
 *
 * <pre>{@code
 * while (running) {
 *     Optional<ReceivedFrame> frame = link.receive(untilNextDeadline);  // also returns on wakeup()
 *     LinkState state = link.state();                                   // cheap; react to carrier loss
 *     ...
 * }
 * }</pre>
 *
 * One thread calls {@link #send}, {@link #receive}, {@link #state} and {@link #close}; any
 * thread (a signal handler, a health monitor) may call {@link #wakeup()}.
 */
public interface Link extends AutoCloseable {

    /** The interface name, e.g. {@code eth0}. */
    String name();

    /** The interface index (it changes if the interface is deleted and created again). */
    int index() throws LinkException;

    /** The interface's own MAC, the source of gratuitous ARPs (ucarp-spec §6). */
    MacAddress mac() throws LinkException;

    /**
     * Sends one complete Ethernet frame (destination MAC first, no FCS) as it is.
     *
     * @throws LinkException if the kernel refused it (link down, interface gone); the daemon
     *                       counts these like UCarp's send errors (ucarp-spec §4.10)
     */
    void send(byte[] frame) throws LinkException;

    /**
     * Waits at most {@code timeout} for the next frame. Returns empty when the time is up, when
     * {@link #wakeup()} was called, or when the interface's state changed (then call
     * {@link #state()}). A link that is down never throws here: it just waits.
     */
    Optional<ReceivedFrame> receive(Duration timeout) throws LinkException;

    /**
     * As {@link #receive(Duration)}, into {@code into}, which the caller reuses: true with a frame there (valid until
     * the next read into it), false when {@link #receive(Duration)} would return empty. For a loop that must not
     * allocate per frame (a flood of invalid frames would otherwise fill the young generation several times a
     * second, issue 16); {@link PcapLink} reads into the view directly, this default copies what
     * {@link #receive(Duration)} returns.
     */
    default boolean receive(long timeoutNanos, FrameView into) throws LinkException {
        Optional<ReceivedFrame> frame = receive(Duration.ofNanos(Math.max(0, timeoutNanos)));
        if (frame.isEmpty()) {
            return false;
        }
        into.set(frame.get());
        return true;
    }

    /** Makes a {@link #receive} in progress (or the next one) return empty at once. Any thread. */
    void wakeup();

    /** The interface's state now: one netlink round trip, microseconds. */
    LinkState state() throws LinkException;

    /**
     * The capture's drop counts so far (libpcap's {@code pcap_stats}), read at most about once a second by the
     * daemon; empty when the link cannot tell.
     */
    default Optional<CaptureStats> captureStats() {
        return Optional.empty();
    }

    /** True when frames can flow ({@link LinkState#UP}), the IFF_RUNNING check of ucarp-spec §4.8. */
    default boolean isRunning() throws LinkException {
        return state() == LinkState.UP;
    }

    /** Leaves the multicast group and releases every socket. Idempotent. */
    @Override
    void close();
}
