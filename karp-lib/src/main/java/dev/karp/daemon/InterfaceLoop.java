package dev.karp.daemon;

import dev.karp.carp.Carp;
import dev.karp.link.Link;
import dev.karp.link.LinkException;
import dev.karp.link.LinkState;
import dev.karp.link.ReceivedFrame;
import dev.karp.vip.VipManager;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Several groups on one interface, one thread, one link: the loop of {@link Daemon#run()} over all of them. Each
 * frame goes to the group of its vhid; a frame of no group here goes to the first, which drops and counts it
 * (a wrong vhid, as a single group would). With one group this is exactly {@link Daemon#run()}.
 *
 * <p>Why one loop and not a thread per group: a hundred groups would otherwise be a hundred threads waking every
 * second, each with its own libpcap handle copying every CARP frame of the segment.
 */
public final class InterfaceLoop {
    private static final int ETH_TYPE = 12;
    private static final int ETH_HEADER = 14;
    private static final int IPV6_HEADER = 40;
    private static final int ICMPV6 = 58;

    private final Link link;
    private final List<Daemon> groups;
    private final Map<Integer, Daemon> byVhid = new HashMap<>();
    private final LongSupplier nanoTime;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private LinkState lastState;

    /**
     * @param link     the interface's link, shared by every group
     * @param groups   the groups on that interface, distinct vhids, built on {@code link}
     * @param nanoTime the monotonic clock the groups use
     */
    public InterfaceLoop(Link link, List<Daemon> groups, LongSupplier nanoTime) {
        this.link = Objects.requireNonNull(link, "link");
        this.groups = List.copyOf(groups);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (this.groups.isEmpty()) {
            throw new IllegalArgumentException("an interface loop needs at least one group");
        }
        for (Daemon d : this.groups) {
            if (byVhid.put(d.vhid(), d) != null) {
                throw new IllegalArgumentException("vhid " + d.vhid() + " is configured twice on " + link.name());
            }
            if (groups.size() > 1) {
                // One group reads the link itself, into its reused buffer (issue 16: no garbage per frame).
                d.useFrames(timeout -> receiveFor(d, timeout));
            }
        }
    }

    /**
     * The VIP manager the groups of one interface share: {@code vips} itself for one group, else a view whose address
     * list one dump serves to all groups (a hundred groups would otherwise dump the interface a hundred times a
     * second).
     */
    public static VipManager sharedVips(VipManager vips, int groups, LongSupplier nanoTime) {
        return groups <= 1 ? vips : new SharedAddressList(vips, nanoTime);
    }

    /** The groups, in the order given. */
    public List<Daemon> groups() {
        return groups;
    }

    /**
     * Runs every group until each has stopped after a requested shutdown.
     *
     * @throws DaemonException as {@link Daemon#run()} does; the other groups are then stopped without bowing out
     */
    public void run() throws DaemonException {
        if (groups.size() == 1) {
            try {
                groups.get(0).run();
            } finally {
                stopped.countDown();
            }
            return;
        }
        try {
            for (Daemon d : groups) {
                d.start();
            }
            lastState = link.state();
            while (true) {
                boolean busy = false;
                boolean running = false;
                long wake = Long.MAX_VALUE;
                long passNanos = nanoTime.getAsLong();
                boolean timerPass = false;
                for (Daemon d : groups) {
                    timerPass |= !d.stopped() && d.timerExpired(passNanos);
                }
                for (Daemon d : groups) {
                    if (d.stopped()) {
                        continue;
                    }
                    running = true;
                    // Only the groups with something due: a hundred groups wake a hundred times a second each,
                    // one group at a time (issue 14). One that falls due during this pass is stepped in the next.
                    // Awake for one group's timer, the masters whose adverts are due shortly send theirs too: their
                    // schedules then stay together, one wake-up for many adverts (Election#advertEarlyNanos).
                    boolean coalesce = timerPass && d.advertDueWithin(passNanos);
                    if (coalesce || d.due(passNanos)) {
                        busy |= d.step(coalesce);
                    }
                    if (!d.stopped()) {
                        long w = d.wakeNanos();
                        wake = wake == Long.MAX_VALUE || w - wake < 0 ? w : wake;
                    }
                }
                if (!running) {
                    break;
                }
                if (busy) {
                    continue;
                }
                long wait = Math.max(0, wake - nanoTime.getAsLong());
                Optional<ReceivedFrame> frame = link.receive(Duration.ofNanos(wait));
                if (frame.isPresent() && claim(frame.get().buffer())) {
                    // Who answers for a VIP: every group looks (each for its own VIPs and master).
                    for (Daemon d : groups) {
                        if (!d.stopped()) {
                            d.received(frame);
                        }
                    }
                } else if (frame.isPresent()) {
                    Daemon target = route(frame.get());
                    if (!target.stopped()) {
                        target.received(frame);
                    }
                } else {
                    // An empty receive may mean the interface changed: one look for all groups, and only
                    // if it did change does every group look (and react) itself.
                    LinkState now = link.state();
                    if (now != lastState) {
                        lastState = now;
                        for (Daemon d : groups) {
                            if (!d.stopped()) {
                                d.received(Optional.empty());
                            }
                        }
                    }
                }
            }
            for (Daemon d : groups) {
                d.finish();
            }
        } catch (LinkException e) {
            throw new DaemonException(e.getMessage(), e);
        } finally {
            groups.forEach(Daemon::markStopped);
            stopped.countDown();
        }
    }

    /** Asks every group to stop gracefully: masters bow out and remove their VIPs. Any thread. */
    public void requestShutdown() {
        groups.forEach(Daemon::requestShutdown);
    }

    /** Waits until {@link #run()} has returned. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A frame for {@code d}: frames of other groups read meanwhile are handed to them. */
    private Optional<ReceivedFrame> receiveFor(Daemon d, Duration timeout) throws LinkException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        while (true) {
            long left = Math.max(0, deadline - nanoTime.getAsLong());
            Optional<ReceivedFrame> frame = link.receive(Duration.ofNanos(left));
            if (frame.isEmpty()) {
                return frame;
            }
            if (claim(frame.get().buffer())) {
                for (Daemon other : groups) {
                    if (other != d) {
                        other.offer(frame.get());
                    }
                }
                return frame;
            }
            Daemon target = route(frame.get());
            if (target == d) {
                return frame;
            }
            target.offer(frame.get());
            if (left > 0) {
                // The other group handles it at its next step; the loop steps it as soon as this returns.
                return Optional.empty();
            }
            // A zero-timeout read drains what is queued: another group's frame must not end the drain.
        }
    }

    /** The group of the frame's vhid; the first group when none matches (it drops and counts the frame). */
    Daemon route(ReceivedFrame frame) {
        int vhid = vhid(frame.buffer());
        Daemon d = vhid < 0 ? null : byVhid.get(vhid);
        return d != null ? d : groups.get(0);
    }

    /** An ARP frame or an ICMPv6 one (a neighbour advertisement): who answers for an address, not an advert. */
    static boolean claim(ByteBuffer b) {
        int base = b.position();
        if (b.remaining() < ETH_HEADER + IPV6_HEADER) {
            return b.remaining() >= ETH_HEADER + 1 && type(b, base) == Carp.ETHERTYPE_ARP;
        }
        int type = type(b, base);
        return type == Carp.ETHERTYPE_ARP || type == Carp.ETHERTYPE_IPV6 && (b.get(base + ETH_HEADER + 6) & 0xff) == ICMPV6;
    }

    private static int type(ByteBuffer b, int base) {
        return ((b.get(base + ETH_TYPE) & 0xff) << 8) | (b.get(base + ETH_TYPE + 1) & 0xff);
    }

    /** The CARP vhid of an IPv4 or IPv6 frame, or -1 when the frame is too short or neither. */
    static int vhid(ByteBuffer b) {
        int base = b.position();
        int n = b.remaining();
        if (n < ETH_HEADER + 1) {
            return -1;
        }
        int type = ((b.get(base + ETH_TYPE) & 0xff) << 8) | (b.get(base + ETH_TYPE + 1) & 0xff);
        int carp;
        if (type == Carp.ETHERTYPE_IP) {
            carp = ETH_HEADER + (b.get(base + ETH_HEADER) & 0x0f) * 4;
        } else if (type == Carp.ETHERTYPE_IPV6) {
            carp = ETH_HEADER + IPV6_HEADER;
        } else {
            return -1;
        }
        return carp + 1 < n ? b.get(base + carp + 1) & 0xff : -1;
    }
}
