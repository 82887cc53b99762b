package dev.karp.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import dev.karp.carp.MacAddress;
import dev.karp.log.KarpLogging;
import dev.karp.net.IpAddresses;
import dev.karp.netlink.Errno;
import dev.karp.netlink.FastPoll;
import dev.karp.netlink.LibC;
import dev.karp.netlink.LinkInfo;
import dev.karp.netlink.NetNamespace;
import dev.karp.netlink.NetlinkCodec;
import dev.karp.netlink.NetlinkException;
import dev.karp.netlink.NetlinkMessage;
import dev.karp.netlink.NetlinkSocket;
import dev.karp.netlink.PollFds;
import dev.karp.netlink.Rtnetlink;
import dev.karp.netlink.RtnetlinkClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * A {@link Link} over libpcap (through pcap4j), the way UCarp does it (ucarp-spec §1.5, §1.6),
 * without UCarp's receive delay:
 * <ul>
 *   <li><b>Immediate mode.</b> Without it libpcap 1.10 on Linux uses TPACKET_V3 and hands frames
 *       over only when a ring block retires, up to 1 s late (ucarp-spec §1.6, cap 00). With it,
 *       libpcap uses TPACKET_V2 and each frame is readable as soon as it arrives. The handle is
 *       opened, and its errors worded, by {@link PcapHandles}, as for {@code karp sniff}.</li>
 *   <li><b>Filter</b> {@code (ip proto 112)}, in the kernel (BPF), so only CARP frames wake the daemon, and
 *       only incoming ones ({@code pcap_setdirection}). UCarp writes {@code proto 112 and not src host SRCIP};
 *       karp leaves our own frames out by direction instead, so that a frame claiming our source address, which
 *       can only be a forgery, is seen and counted (issue 16). With an IPv6 source ({@link Options#withIpv6})
 *       IPv6 CARP frames too; with VIPs ({@link Options#withVips}) the ARP frames and neighbour advertisements
 *       that answer for them ({@link #filter(Options)}).</li>
 *   <li><b>Non-promiscuous</b>, snaplen {@value #SNAPLEN}: what the daemon reads (adverts of 70 or 90 bytes, ARP,
 *       neighbour advertisements) fits, and each slot of the capture ring shrinks from about 1.6 KiB (UCarp's
 *       snaplen 1500) to 352 bytes, so the same ring holds about 360 frames instead of about 80: a flood of
 *       invalid frames overflows it, and takes real adverts with it, far later (issue 16). Frames are sent whole with
 *       pcap_sendpacket.</li>
 *   <li><b>Multicast membership</b> (unless --nomcast): IP_ADD_MEMBERSHIP on a UDP socket with
 *       {@code ip_mreqn.imr_ifindex}, so the NIC accepts the group's MAC and the kernel sends the
 *       IGMP joins UCarp's do. UCarp names the interface by --srcip instead, which fails when
 *       --srcip is not local; the index cannot. With an IPv6 source, also IPV6_ADD_MEMBERSHIP of
 *       ff02::12 on the interface (an AF_INET6 socket, {@code ipv6_mreq.ipv6mr_interface}), so the
 *       NIC accepts 33:33:00:00:00:12 and the kernel sends the MLD reports a snooping switch needs.</li>
 *   <li><b>Waiting</b>: poll(2) on pcap's descriptor, an eventfd for {@link #wakeup()} and a
 *       netlink socket subscribed to link events, so {@link #receive} wakes for a frame, a
 *       wakeup or a change of the interface, and otherwise sleeps exactly until its timeout.</li>
 *   <li><b>State</b> comes from netlink (RTM_GETLINK flags IFF_UP / IFF_RUNNING), not from
 *       /sys/class/net, which shows the namespace sysfs was mounted in rather than the one the
 *       link's sockets live in.</li>
 * </ul>
 * Every socket is created in the network namespace of the thread that calls {@link #open}.
 * An interface taken down is reported ({@link LinkState#ADMIN_DOWN}), not fatal as in UCarp;
 * a deleted one is {@link LinkState#GONE} until an interface of that name appears, which the
 * link then re-opens by itself.
 */
public final class PcapLink implements Link {

    /** CARP's IPv4 multicast group (ucarp-spec §1.2, UCarp's --mcastip default). */
    public static final Inet4Address CARP_GROUP = inet4(224, 0, 0, 18);
    /** CARP's IPv6 multicast group, ff02::12 (the BSD kernels' CARP6; carp-v6-unicast.md §4.3). */
    public static final Inet6Address CARP_GROUP6 = inet6("ff02::12");

    private static final Logger LOG = KarpLogging.logger(PcapLink.class);
    static final int SNAPLEN = 256;
    /**
     * The kernel ring libpcap maps for the capture (TPACKET): 128 KiB, about 360 frames of {@link #SNAPLEN}. The default
     * 2 MiB ring was 2.6 MB of the daemon's resident memory for a filter that passes one 70-byte
     * advert per second per node; the loop reads each frame as it arrives (immediate mode).
     */
    static final int CAPTURE_BUFFER_BYTES = 128 * 1024;
    /**
     * The ring at advbase 0, where two lost adverts in a row (about 0.1 s) move the VIP: 1 MiB, about 2,900 frames,
     * a second of a flood of 3,000 frames/s. Under a flood the loop (real-time) is still held off the CPU for tens
     * of milliseconds at a time on a saturated machine (measured: it waited about as long as it ran), and a ring
     * that overflows meanwhile drops the master's adverts with the rest (issue 16).
     */
    public static final int FAST_RING_BYTES = 1024 * 1024;
    private static final int MAX_READ_ERRORS = 3;

    /**
     * What to open.
     *
     * @param interfaceName the interface, e.g. {@code eth0} (UCarp's --interface)
     * @param srcip         the node's own address, excluded by the filter (--srcip)
     * @param group         the multicast group (--mcastip), joined when {@code joinGroup}
     * @param joinGroup     false for --nomcast: no membership (neither IPv4 nor IPv6), adverts go to broadcast
     * @param ipv6Source    the interface's IPv6 link-local address when the node speaks CARP over IPv6 (a group
     *                      with IPv6 VIPs): IPv6 adverts are received too, except those from this address, and
     *                      {@link #CARP_GROUP6} is joined when {@code joinGroup}; empty for IPv4 only
     * @param vips          the VIPs of the groups on the interface: ARP frames whose sender is one of them and IPv6
     *                      neighbour advertisements for one of them are received too, so that the daemon sees who
     *                      answers for its VIPs (issue 16: conflicts, a master that does not hold the VIP)
     * @param ringBytes     the capture ring's size, or 0 for {@link #CAPTURE_BUFFER_BYTES}
     */
    public record Options(String interfaceName, Inet4Address srcip, Inet4Address group, boolean joinGroup,
            Optional<Inet6Address> ipv6Source, List<InetAddress> vips, int ringBytes) {

        public Options {
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(srcip, "srcip");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(ipv6Source, "ipv6Source");
            vips = List.copyOf(vips);
            if (ringBytes < 0) {
                throw new IllegalArgumentException("capture ring of " + ringBytes + " bytes (expected: 0 or more)");
            }
        }

        /** With the default capture ring. */
        public Options(String interfaceName, Inet4Address srcip, Inet4Address group, boolean joinGroup,
                Optional<Inet6Address> ipv6Source, List<InetAddress> vips) {
            this(interfaceName, srcip, group, joinGroup, ipv6Source, vips, 0);
        }

        /** Without VIPs to watch. */
        public Options(String interfaceName, Inet4Address srcip, Inet4Address group, boolean joinGroup,
                Optional<Inet6Address> ipv6Source) {
            this(interfaceName, srcip, group, joinGroup, ipv6Source, List.of());
        }

        /** IPv4 only, as before IPv6 came. */
        public Options(String interfaceName, Inet4Address srcip, Inet4Address group, boolean joinGroup) {
            this(interfaceName, srcip, group, joinGroup, Optional.empty());
        }

        /** Also receives who answers for these VIPs (ARP and IPv6 neighbour advertisements). */
        public Options withVips(List<InetAddress> watched) {
            return new Options(interfaceName, srcip, group, joinGroup, ipv6Source, watched, ringBytes);
        }

        /** A capture ring of {@code bytes} instead of {@link #CAPTURE_BUFFER_BYTES}. */
        public Options withRing(int bytes) {
            return new Options(interfaceName, srcip, group, joinGroup, ipv6Source, vips, bytes);
        }

        /** Interface and source address, joining {@link #CARP_GROUP}. */
        public static Options of(String interfaceName, Inet4Address srcip) {
            return new Options(interfaceName, srcip, CARP_GROUP, true);
        }

        public Options withGroup(Inet4Address newGroup) {
            return new Options(interfaceName, srcip, newGroup, joinGroup, ipv6Source, vips, ringBytes);
        }

        /** --nomcast: do not join the group. */
        public Options withoutGroupJoin() {
            return new Options(interfaceName, srcip, group, false, ipv6Source, vips, ringBytes);
        }

        /**
         * CARP over IPv6 as well: receive other nodes' IPv6 adverts and join ff02::12. {@code linkLocal} is the
         * interface's own link-local address ({@code HostInterfaces.linkLocal}), the source of our IPv6 adverts.
         *
         * @throws IllegalArgumentException if {@code linkLocal} is not a link-local address
         */
        public Options withIpv6(Inet6Address linkLocal) {
            if (!linkLocal.isLinkLocalAddress()) {
                throw new IllegalArgumentException(IpAddresses.format(linkLocal) + " is not a link-local address"
                        + " (expected: fe80::/10, the interface's own)");
            }
            return new Options(interfaceName, srcip, group, joinGroup, Optional.of(linkLocal), vips, ringBytes);
        }
    }

    private final Options options;
    private final NetNamespace netns;
    private final RtnetlinkClient rtnl;
    private final NetlinkSocket linkEvents;
    private static final long STATE_MAX_AGE_NANOS = 1_000_000_000L;
    private LinkState cachedState;
    /** The last capture statistics read, and of which attachment (captureStats). */
    private volatile StatsRead lastStats;
    private long refreshedAtNanos;
    private final int wakeFd;
    private Attachment attachment;
    /** pcap reported the interface down; leave its descriptor out of poll until a link event. */
    private boolean pcapQuiet;
    private String lastAttachError = "";
    /** Read errors in a row while the interface was up. */
    private int readErrors;
    private volatile boolean closed;
    /** What poll waits on while pcap is not polled: the wakeup eventfd and link events. */
    private final PollFds idleFds;
    /** ppoll's struct timespec, rewritten for every wait. */
    private final ByteBuffer timespec = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
    private static final NativeLong TWO = new NativeLong(2);
    private static final NativeLong THREE = new NativeLong(3);
    /** The frame {@link #receive(Duration)} reads before it copies it into its value. */
    private final FrameView valueView = new FrameView();

    private PcapLink(Options options, NetNamespace netns, RtnetlinkClient rtnl, NetlinkSocket linkEvents,
            int wakeFd) {
        this.options = options;
        this.netns = netns;
        this.rtnl = rtnl;
        this.linkEvents = linkEvents;
        this.wakeFd = wakeFd;
        this.idleFds = new PollFds(wakeFd, linkEvents.fd());
    }

    /**
     * Opens the link in the calling thread's network namespace.
     *
     * @throws LinkException with an actionable message: interface not found (listing the
     *                       available ones), missing CAP_NET_RAW, libpcap not installed, not an
     *                       Ethernet interface, multicast join refused
     */
    public static PcapLink open(Options options) throws LinkException {
        // 1. The namespace (for re-opening later), netlink sockets and the wakeup eventfd: they
        //    need no privilege and fix the namespace the link lives in.
        NetNamespace netns;
        try {
            netns = NetNamespace.ofCurrentThread();
        } catch (IOException e) {
            throw new LinkException(e.getMessage(), e);
        }
        RtnetlinkClient rtnl;
        NetlinkSocket events;
        try {
            rtnl = RtnetlinkClient.open();
        } catch (NetlinkException e) {
            netns.close();
            throw new LinkException("cannot open a netlink socket: " + e.getMessage(), e);
        }
        try {
            events = NetlinkSocket.open(Rtnetlink.RTMGRP_LINK, Duration.ofSeconds(1));
        } catch (NetlinkException e) {
            rtnl.close();
            netns.close();
            throw new LinkException("cannot open a netlink socket: " + e.getMessage(), e);
        }
        int wake;
        try {
            wake = LibC.INSTANCE.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        } catch (LastErrorException e) {
            events.close();
            rtnl.close();
            netns.close();
            throw new LinkException("cannot create an eventfd: " + Errno.describe(e.getErrorCode()), e);
        }
        PcapLink link = new PcapLink(options, netns, rtnl, events, wake);
        try {
            // 2. The interface must exist now: a typo in --interface is a startup error, not a state.
            LinkInfo info = link.lookup().orElseThrow(() -> LinkException.interfaceNotFound(
                    options.interfaceName(), link.availableNames()));
            // 3. pcap handle and multicast membership.
            link.attachment = link.attach(info);
            return link;
        } catch (LinkException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * The BPF filter for these options: IPv4 CARP frames (ucarp-spec §1.6), IPv6 ones too with an IPv6 source, and
     * who answers for the VIPs: ARP frames whose sender address is a VIP, IPv6 neighbour advertisements (ICMPv6 type
     * 136 right after the fixed header) whose target is one. Frames from our own source address pass: the capture
     * reads incoming frames only ({@code pcap_setdirection}), so one from our address is not ours but a forgery in
     * our name (issue 16), which the daemon counts. UCarp's {@code not src host SRCIP} hid those.
     */
    public static String filter(Options options) {
        List<String> parts = new ArrayList<>();
        parts.add("(ip proto 112)");
        if (options.ipv6Source().isPresent()) {
            parts.add("(ip6 proto 112)");
        }
        for (InetAddress vip : options.vips()) {
            byte[] a = vip.getAddress();
            if (vip instanceof Inet4Address) {
                parts.add("(arp and arp[14:4] = " + word(a, 0) + ")");
            } else if (options.ipv6Source().isPresent()) {
                parts.add("(icmp6 and ip6[40] = 136 and ip6[48:4] = " + word(a, 0) + " and ip6[52:4] = " + word(a, 4)
                        + " and ip6[56:4] = " + word(a, 8) + " and ip6[60:4] = " + word(a, 12) + ")");
            }
        }
        return String.join(" or ", parts);
    }

    private static String word(byte[] a, int offset) {
        return "0x" + String.format("%08x", ByteBuffer.wrap(a, offset, 4).getInt());
    }

    @Override
    public String name() {
        return options.interfaceName();
    }

    @Override
    public int index() throws LinkException {
        return current().index();
    }

    @Override
    public MacAddress mac() throws LinkException {
        return MacAddress.of(current().hardwareAddress());
    }

    @Override
    public void send(byte[] frame) throws LinkException {
        Attachment a = attachment;
        if (a == null) {
            throw new LinkException("cannot send on " + name() + ": the interface is gone");
        }
        try {
            a.handle.sendPacket(frame);
        } catch (PcapNativeException e) {
            throw new LinkException("cannot send on " + name() + ": " + e.getMessage(), e);
        } catch (NotOpenException e) {
            throw new LinkException("cannot send on " + name() + ": the link is closed", e);
        }
    }

    @Override
    public Optional<ReceivedFrame> receive(Duration timeout) throws LinkException {
        return receive(timeout.toNanos(), valueView) ? Optional.of(valueView.toReceivedFrame()) : Optional.empty();
    }

    /** Reads straight into {@code into}: nothing is allocated per frame or per wait (issue 16). */
    @Override
    public boolean receive(long timeoutNanos, FrameView into) throws LinkException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        boolean pcapReady = false;
        while (true) {
            // 1. Read pcap only once poll said a frame (or an error) waits: pcap4j reports an empty ring by throwing,
            //    and an exception per look cost more than the poll (issue 14: a hundred groups look hundreds of
            //    times a second).
            Attachment a = attachment;
            boolean pcapUsable = a != null && !pcapQuiet;
            if (pcapUsable && pcapReady) {
                if (tryRead(a, into)) {
                    return true;
                }
                pcapUsable = attachment != null && !pcapQuiet;
            }
            // 2. Sleep until a frame, a wakeup, a link event, or the deadline; at the deadline, only look.
            long remaining = Math.max(0, deadline - System.nanoTime());
            PollFds fds = pcapUsable ? attachment.fds : idleFds;
            int ready = poll(fds, remaining);
            if (ready == 0) {
                return false;
            }
            if (ready < 0) {
                continue; // EINTR: wait again for what is left
            }
            // 3. A frame goes round to step 1 first, as it did before any wakeup is looked at. A look without
            //    waiting leaves wakeups and link events to the next wait.
            pcapReady = pcapUsable && fds.revents(2) != 0;
            if (pcapReady) {
                continue;
            }
            if (remaining == 0) {
                return false;
            }
            // 4. Wakeups and changes of our interface end the wait.
            if (fds.revents(0) != 0) {
                drainWakeups();
                return false;
            }
            if (fds.revents(1) != 0 && drainLinkEvents()) {
                refresh();
                return false;
            }
        }
    }

    @Override
    public void wakeup() {
        if (closed) {
            return;
        }
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        try {
            LibC.INSTANCE.write(wakeFd, one, new NativeLong(8));
        } catch (LastErrorException e) {
            // EAGAIN: the counter is already non-zero, so a wakeup is pending anyway.
        }
    }

    /**
     * libpcap's drop counts ({@code pcap_stats}: {@code ps_drop}, frames the capture ring had no room for, and
     * {@code ps_ifdrop}, those the interface dropped) since the capture was opened (again, after the interface was
     * re-created); empty while the interface is gone or libpcap cannot tell.
     */
    @Override
    public Optional<CaptureStats> captureStats() {
        Attachment a = attachment;
        if (a == null) {
            return Optional.empty();
        }
        // Every group of the interface asks once a second; one read a second serves them all (issue 14: pcap4j's
        // getStats was 4 % of a hundred groups' profile).
        StatsRead last = lastStats;
        long now = System.nanoTime();
        if (last != null && last.attachment == a && now - last.atNanos < STATE_MAX_AGE_NANOS) {
            return Optional.of(last.stats);
        }
        try {
            org.pcap4j.core.PcapStat st = a.handle.getStats();
            CaptureStats stats = new CaptureStats(st.getNumPacketsDropped(), st.getNumPacketsDroppedByIf());
            lastStats = new StatsRead(a, stats, now);
            return Optional.of(stats);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private record StatsRead(Attachment attachment, CaptureStats stats, long atNanos) {
    }

    @Override
    public LinkState state() throws LinkException {
        // Every change of our interface arrives as a link event, and receive() refreshes on it (and on lost
        // events); between events the state read last is current. A periodic re-read bounds the staleness should
        // an event ever be missed, at one netlink round trip a second instead of one per wake-up (node cost).
        if (cachedState != null && System.nanoTime() - refreshedAtNanos < STATE_MAX_AGE_NANOS) {
            return cachedState;
        }
        return refresh();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        detach();
        linkEvents.close();
        rtnl.close();
        LibC.INSTANCE.close(wakeFd);
        netns.close();
    }

    // ---- attachment: the pcap handle and the membership socket of one interface instance ----

    private static final class Attachment {
        LinkInfo info;
        final PcapHandle handle;
        final int pcapFd;
        final int multicastFd;
        final int multicastFd6;
        final PcapRead reader;
        /** The wakeup eventfd, link events and pcap, in this order. */
        final PollFds fds;

        Attachment(LinkInfo info, PcapHandle handle, int pcapFd, int multicastFd, int multicastFd6, PcapRead reader,
                PollFds fds) {
            this.info = info;
            this.handle = handle;
            this.pcapFd = pcapFd;
            this.reader = reader;
            this.fds = fds;
            this.multicastFd = multicastFd;
            this.multicastFd6 = multicastFd6;
        }
    }

    private Attachment attach(LinkInfo info) throws LinkException {
        PcapHandle handle;
        try {
            handle = PcapHandles.openLive(new PcapHandles.Live(name(), SNAPLEN, false, 1000,
                    options.ringBytes() > 0 ? options.ringBytes() : CAPTURE_BUFFER_BYTES,
                    filter(options), "karp needs CAP_NET_RAW and CAP_NET_ADMIN"), this::availableNames);
        } catch (PcapHandles.OpenException e) {
            throw new LinkException(e.getMessage(), e);
        }
        int multicastFd = -1;
        int multicastFd6 = -1;
        try {
            // Non-blocking: receive() does its own poll(), with its own deadline and wakeups.
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            // Only what arrives: our own frames going out would otherwise be captured too (see filter()).
            handle.setDirection(PcapHandle.PcapDirection.IN);
            int pcapFd = PcapSelectable.fd(handle);
            if (options.joinGroup()) {
                multicastFd = joinGroup(info.index());
                if (options.ipv6Source().isPresent()) {
                    multicastFd6 = joinGroup6(info.index());
                }
            }
            LOG.fine(() -> "opened " + name() + " (index " + info.index() + ", mac " + MacAddress.of(info.hardwareAddress())
                    + "), filter \"" + filter(options) + "\", group "
                    + (options.joinGroup() ? options.group().getHostAddress()
                            + (options.ipv6Source().isPresent() ? " and ff02::12" : "") : "not joined (--nomcast)"));
            return new Attachment(info, handle, pcapFd, multicastFd, multicastFd6,
                    new PcapRead(PcapSelectable.pcap(handle)), new PollFds(wakeFd, linkEvents.fd(), pcapFd));
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new LinkException("cannot set up libpcap on " + name() + ": " + e.getMessage(), e);
        } catch (LinkException | RuntimeException e) {
            handle.close();
            if (multicastFd >= 0) {
                LibC.INSTANCE.close(multicastFd);
            }
            if (multicastFd6 >= 0) {
                LibC.INSTANCE.close(multicastFd6);
            }
            throw e;
        }
    }

    /**
     * {@link #attach} from whichever thread noticed the new interface: sockets must be made in
     * the namespace the link was opened in, or "eth0" would name another namespace's interface.
     */
    private Attachment attachInOwnNamespace(LinkInfo info) throws LinkException {
        try {
            return netns.callInside(() -> attach(info));
        } catch (LinkException e) {
            throw e;
        } catch (Exception e) {
            throw new LinkException("cannot re-open " + name() + ": " + e.getMessage(), e);
        }
    }

    /** IP_ADD_MEMBERSHIP with struct ip_mreqn { multiaddr; address = 0.0.0.0; ifindex }. */
    private int joinGroup(int index) throws LinkException {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(Rtnetlink.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw LinkException.multicastJoinFailed(options.group(), name(), Errno.describe(e.getErrorCode()));
        }
        byte[] mreqn = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                .put(options.group().getAddress())
                .put(new byte[4])
                .putInt(index)
                .array();
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_ADD_MEMBERSHIP, mreqn, mreqn.length);
            return fd;
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw LinkException.multicastJoinFailed(options.group(), name(), Errno.describe(e.getErrorCode()));
        }
    }

    /**
     * IPV6_ADD_MEMBERSHIP of ff02::12 with struct ipv6_mreq { in6_addr multiaddr; int ifindex }. Fails when the
     * kernel has no IPv6 at all (socket: EAFNOSUPPORT); an interface with IPv6 disabled has no link-local address,
     * which the caller needs for {@link Options#withIpv6} in the first place.
     */
    private int joinGroup6(int index) throws LinkException {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(Rtnetlink.AF_INET6, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw LinkException.multicastJoinFailed(CARP_GROUP6, name(), Errno.describe(e.getErrorCode()));
        }
        byte[] mreq = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder())
                .put(CARP_GROUP6.getAddress())
                .putInt(index)
                .array();
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_ADD_MEMBERSHIP, mreq, mreq.length);
            return fd;
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw LinkException.multicastJoinFailed(CARP_GROUP6, name(), Errno.describe(e.getErrorCode()));
        }
    }

    private void detach() {
        Attachment a = attachment;
        attachment = null;
        if (a == null) {
            return;
        }
        a.handle.close();
        if (a.multicastFd >= 0) {
            LibC.INSTANCE.close(a.multicastFd); // the kernel drops the membership and sends an IGMP leave
        }
        if (a.multicastFd6 >= 0) {
            LibC.INSTANCE.close(a.multicastFd6); // and an MLD done
        }
    }

    // ---- state ----

    /**
     * Reads the interface's state and converges: detaches from an interface that is gone, and
     * re-opens on a new interface of the same name (a different index).
     */
    private LinkState refresh() throws LinkException {
        LinkState s = readState();
        cachedState = s;
        refreshedAtNanos = System.nanoTime();
        return s;
    }

    private LinkState readState() throws LinkException {
        Optional<LinkInfo> found = lookup();
        if (found.isEmpty()) {
            if (attachment != null) {
                LOG.warning("interface " + name() + " disappeared; waiting for it to come back");
                detach();
            }
            return LinkState.GONE;
        }
        LinkInfo info = found.get();
        if (attachment == null || attachment.info.index() != info.index()) {
            if (attachment != null) {
                LOG.warning("interface " + name() + " was replaced (index " + attachment.info.index() + " -> "
                        + info.index() + "); re-opening");
                detach();
            }
            try {
                attachment = attachInOwnNamespace(info);
                pcapQuiet = false;
                lastAttachError = "";
                LOG.info("re-opened " + name() + " (index " + info.index() + ")");
            } catch (LinkException e) {
                if (!e.getMessage().equals(lastAttachError)) {
                    LOG.warning("cannot re-open " + name() + ": " + e.getMessage());
                    lastAttachError = e.getMessage();
                }
                return LinkState.GONE;
            }
        }
        attachment.info = info;
        LinkState state = stateOf(info);
        if (state == LinkState.UP) {
            pcapQuiet = false;
        }
        return state;
    }

    static LinkState stateOf(LinkInfo info) {
        if (!info.isUp()) {
            return LinkState.ADMIN_DOWN;
        }
        if (!info.isRunning()) {
            return LinkState.NO_CARRIER;
        }
        return LinkState.UP;
    }

    private LinkInfo current() throws LinkException {
        Attachment a = attachment;
        if (a != null) {
            return a.info;
        }
        return lookup().orElseThrow(() -> new LinkException("interface " + name() + " is gone"));
    }

    private Optional<LinkInfo> lookup() throws LinkException {
        try {
            return rtnl.link(name());
        } catch (NetlinkException e) {
            throw new LinkException("cannot read the state of " + name() + ": " + e.getMessage(), e);
        }
    }

    private List<String> availableNames() {
        List<String> names = new ArrayList<>();
        try {
            for (LinkInfo l : rtnl.links()) {
                names.add(l.name());
            }
        } catch (NetlinkException e) {
            names.add("unknown: " + e.getMessage());
        }
        return names;
    }

    // ---- waiting and reading ----

    /** Reads one frame into {@code into}; false when none waits, or after an error that is not (yet) fatal. */
    private boolean tryRead(Attachment a, FrameView into) throws LinkException {
        int rc;
        String error = null;
        // close() may come from another thread: the pcap_t must not be freed under a read.
        synchronized (this) {
            if (closed) {
                throw new LinkException("cannot receive on " + name() + ": the link is closed");
            }
            rc = a.reader.next(into);
            if (rc == PcapRead.ERROR) {
                error = a.reader.error();
            }
        }
        if (rc == PcapRead.FRAME) {
            readErrors = 0;
            return true;
        }
        if (rc != PcapRead.ERROR) {
            return false; // nothing buffered
        }
        // The packet socket reports ENETDOWN once when its interface goes down or away; if
        // the interface is already back up, that report is stale. Only an error that repeats
        // while the interface is up is a real failure.
        String message = error;
        LinkState state = refresh();
        if (state != LinkState.UP) {
            LOG.fine(() -> "pcap on " + name() + " reported \"" + message + "\"; link is " + state);
            pcapQuiet = true;
            return false;
        }
        if (++readErrors < MAX_READ_ERRORS) {
            LOG.warning("receive on " + name() + " failed, retrying: " + message);
            return false;
        }
        throw new LinkException("cannot receive on " + name() + ": " + message);
    }

    /**
     * Waits with nanosecond resolution: poll(2) would round a master-down deadline up to the next
     * millisecond, half a millisecond late on average at every takeover.
     */
    private int poll(PollFds fds, long remainingNanos) throws LinkException {
        ByteBuffer timespec = this.timespec.clear();
        putLong(timespec, remainingNanos / 1_000_000_000L);
        putLong(timespec, remainingNanos % 1_000_000_000L);
        fds.reset();
        try {
            return FastPoll.ppoll(fds.bytes(), fds.count() == 3 ? THREE : TWO, timespec.array(), null);
        } catch (LastErrorException e) {
            if (Errno.EINTR.is(e.getErrorCode())) {
                return -1;
            }
            throw new LinkException("poll failed: " + Errno.describe(e.getErrorCode()), e);
        }
    }

    private static void putLong(ByteBuffer buffer, long value) {
        if (Native.LONG_SIZE == 8) {
            buffer.putLong(value);
        } else {
            buffer.putInt((int) Math.min(Integer.MAX_VALUE, value));
        }
    }

    private void drainWakeups() {
        try {
            LibC.INSTANCE.read(wakeFd, new byte[8], new NativeLong(8));
        } catch (LastErrorException e) {
            // EAGAIN: already drained
        }
    }

    /** Reads every queued link event; true if one concerns our interface (by name or index). */
    private boolean drainLinkEvents() throws LinkException {
        boolean ours = false;
        int ourIndex = attachment == null ? -1 : attachment.info.index();
        while (true) {
            List<NetlinkMessage> batch;
            try {
                batch = linkEvents.receiveNow();
            } catch (NetlinkException e) {
                if (e.is(Errno.ENOBUFS)) {
                    ours = true; // events were lost: re-read the state to be safe
                    continue;
                }
                throw new LinkException("cannot read link events: " + e.getMessage(), e);
            }
            if (batch.isEmpty()) {
                return ours;
            }
            for (NetlinkMessage m : batch) {
                if (m.type() == Rtnetlink.RTM_NEWLINK || m.type() == Rtnetlink.RTM_DELLINK) {
                    LinkInfo l = NetlinkCodec.parseLink(m);
                    ours |= l.index() == ourIndex || l.name().equals(name());
                }
            }
        }
    }

    private static Inet6Address inet6(String literal) {
        return (Inet6Address) IpAddresses.parse(literal).orElseThrow();
    }

    private static Inet4Address inet4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
