package dev.karp.daemon;

import dev.karp.FailoverState;
import dev.karp.GroupStatus;
import dev.karp.StateChange;
import dev.karp.carp.AddressClaim;
import dev.karp.carp.Advert;
import dev.karp.carp.AdvertChain;
import dev.karp.carp.AuthMode;
import dev.karp.carp.ReplayWindow;
import dev.karp.carp.AdvertFilter;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpCounter;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPacket;
import dev.karp.carp.CarpSender;
import dev.karp.carp.Carp;
import dev.karp.carp.Destination;
import dev.karp.carp.MacAddress;
import dev.karp.carp.NeighborAdvertisement;
import dev.karp.carp.OwnAdverts;
import dev.karp.carp.VipAddresses;
import dev.karp.carp.DropCounters;
import dev.karp.carp.DropReason;
import dev.karp.carp.GratuitousArp;
import dev.karp.carp.VipAddresses;
import dev.karp.election.Action;
import dev.karp.election.Election;
import dev.karp.election.ElectionConfig;
import dev.karp.election.Event;
import dev.karp.election.State;
import dev.karp.election.Timing;
import dev.karp.link.Link;
import dev.karp.link.CaptureStats;
import dev.karp.link.FrameView;
import dev.karp.link.LinkException;
import dev.karp.link.LinkState;
import dev.karp.link.NeighbourTable;
import dev.karp.link.ReceivedFrame;
import dev.karp.log.KarpLogging;
import dev.karp.log.RateLimitedLog;
import dev.karp.net.Cidr;
import dev.karp.net.IpAddresses;
import dev.karp.scripts.VipScripts;
import dev.karp.status.LoopHeartbeat;
import dev.karp.time.Durations;
import dev.karp.vip.VipException;
import dev.karp.vip.VipManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * One CARP group's engine: the only place that wires the link, the codec, the election, the VIP
 * manager and the scripts together. {@link dev.karp.VipFailover} runs it; nothing else in karp does.
 *
 * <p>{@link #run()} is the loop on the caller's thread: it waits on the link for a frame or the next
 * deadline, whichever comes first, feeds what happened to the pure {@link Election} and carries out
 * the actions it answers, in order. The loop is made of {@link #start()}, {@link #step()},
 * {@link #wakeNanos()} and {@link #received}, which never wait: a simulation on a virtual clock
 * drives the same code without threads. Other threads only call {@link #requestShutdown()},
 * {@link #setHealth}, {@link #status()}, {@link #heartbeat()} and {@link #awaitStopped(Duration)}.
 *
 * <p>Host invariants kept here, beyond UCarp (ucarp-spec §7.10, §7.11):
 * <ol>
 *   <li>at start (unless --neutral) a VIP left by a crashed run is removed (the election's
 *       start-up RemoveVip);</li>
 *   <li>while not MASTER, a VIP that appears on the interface is removed within one advert
 *       interval, and logged;</li>
 *   <li>while MASTER, a VIP that disappears (someone ran {@code ip addr del}) is put back;</li>
 *   <li>a link that goes down (carrier or admin) makes the node BACKUP without exiting;</li>
 *   <li>with a VIP lifetime (the default of {@code karp run}), a MASTER adds its VIPs with a finite lifetime and
 *       renews it as it advertises, so that the kernel removes them from a killed or frozen master; a MASTER that
 *       finds it went without a renew for nearly the lifetime (it was frozen) does not renew, but rejoins as a
 *       BACKUP (Event.Stalled): a backup may hold the VIP by now.</li>
 * </ol>
 */
public final class Daemon {
    private static final Logger LOG = KarpLogging.logger(Daemon.class);

    /** How many state changes the status endpoint remembers. */
    static final int TRANSITIONS_KEPT = 10;
    /** Peers silent for longer than this many of their own intervals drop off the status. */
    static final int PEER_FORGET_INTERVALS = 10;
    /** Bounds on the housekeeping period (VIP and link checks): the advert interval, clamped. */
    static final Duration MIN_HOUSEKEEPING = Duration.ofMillis(50);
    static final Duration MAX_HOUSEKEEPING = Duration.ofSeconds(1);
    /** Extra announcements a master sends at once before their pacing (Daemon#extraAnnouncement). */
    static final int EXTRA_ANNOUNCEMENT_BURST = 3;
    /** At most this many queued frames are read before an expired timer is acted on (readQueuedFramesOnce). */
    static final int MAX_QUEUED_FRAMES_BEFORE_TIMER = 64;
    /**
     * A BACKUP whose master-down deadline expired reads up to this many queued frames first: what the capture ring
     * holds (about 2,900 frames at advbase 0, PcapLink.FAST_RING_BYTES). Under a flood of invalid frames the
     * master's advert waits behind hundreds of them while the loop is held off the CPU; taking over before reading
     * it is a false takeover (issue 16: the fast profile flapped). A MASTER keeps the small bound: its own advert
     * must not wait.
     */
    static final int MAX_QUEUED_FRAMES_BEFORE_TAKEOVER = 4096;
    /** How often a BACKUP asks who holds the VIP and its master's address (VipWatch). */
    static final Duration VIP_PROBE = Duration.ofSeconds(2);
    /** A MASTER defends a VIP another host claims at most this often (RFC 5227's DEFEND_INTERVAL). */
    static final Duration DEFEND_INTERVAL = Duration.ofSeconds(10);
    /** How long a spoofed advert stays in the status. */
    static final Duration SPOOF_SHOWN = Duration.ofMinutes(1);
    /** libpcap's drop counts are read at most this often. */
    static final Duration CAPTURE_STATS_PERIOD = Duration.ofSeconds(1);
    /** --debug lines per second; a flood of adverts must not make the log the bottleneck. */
    static final int DEBUG_LINES_PER_SECOND = 20;
    private static final int EPERM = 1;
    private static final int EACCES = 13;

    private final GroupConfig config;
    private final Link link;
    private final VipManager vips;
    private final VipScripts scripts;
    private final LongSupplier nanoTime;
    private final Clock wallClock;
    private final RandomGenerator random;
    /**
     * The adverts' IPv4 ids: they only need to differ between datagrams, not to be unpredictable, and a
     * SecureRandom per advert showed in the profile of a hundred groups (issue 14). Seeded once from {@link #random}.
     */
    private final SplittableRandom ipIds;
    private final Consumer<StateChange> changes;

    private final Election election;
    private final AdvertFilter filter;
    private final DropCounters drops = new DropCounters();
    private final CarpCounter counter;
    /** The IPv4 adverts' sender; null for a group without IPv4 VIPs. */
    private final CarpSender sender;
    /** The IPv6 adverts' sender; null for a group without IPv6 VIPs. */
    private final CarpSender sender6;
    /** Unicast mode: the other nodes, the MACs the kernel last gave for them, and where to ask. */
    private final List<InetAddress> unicastPeers;
    private final Set<InetAddress> listedPeers;
    private final Map<InetAddress, MacAddress> peerMacs = new HashMap<>();
    private final Map<InetAddress, Long> peerHeardNanos = new HashMap<>();
    private final CarpSender unicastSender6;
    private NeighbourTable neighbours;
    private long unresolvedSends;
    /** A dual-stack master sends each counter twice, once per family. */
    private final DualStackTwins twins = new DualStackTwins();
    private final List<Cidr> vipList;
    /** The VIPs as the status shows them, formatted once: publish() runs at every advert. */
    private final String vipCidr;
    private final List<String> vipCidrs;
    /** The status's rejected counts and the drop total they were made at: rebuilt only when a drop was counted. */
    private Map<String, Long> rejected = Map.of();
    private long rejectedTotal;
    /**
     * Where frames come from: null for the link itself, read into {@link #view}; or an {@link InterfaceLoop} that
     * shares the link with other groups.
     */
    private FrameSource frames;
    /** The loop's receive buffer, reused for every frame read from the link (issue 16: no garbage per frame). */
    private final FrameView view = new FrameView();
    private final LoopHeartbeat heartbeat;
    private final RateLimitedLog<DropReason> dropLog;
    private final RateLimitedLog<String> errorLog;
    /** Spoofing, conflicts, a phantom master, two masters: a few lines per kind per minute. */
    private final RateLimitedLog<String> alertLog;
    private final RateLimitedLog<String> debugLog;
    /** Our last adverts, to tell one looped back from a forgery in our name. */
    private final OwnAdverts ownAdverts = new OwnAdverts();
    private final SecondMasters secondMasters = new SecondMasters();
    /** Who answers for the VIPs; made at start, once the interface's MAC is known. */
    private VipWatch vipWatch;
    private String phantomLogged;
    private long nextDefendNanos;
    /** A defence waits one advert interval, and happens only if the node is still MASTER then. */
    private boolean defendPending;
    private long defendAtNanos;
    private MacAddress spoofedFrom;
    private long spoofedNanos;
    private CaptureStats captureStats;
    private long nextCaptureStatsNanos;
    private final long housekeepingNanos;

    private final Deque<Event> pending = new ArrayDeque<>();
    private final Deque<StateChange> unreported = new ArrayDeque<>();
    private final Map<InetAddress, PeerSeen> peers = new LinkedHashMap<>();
    private final Deque<StateChange> transitions = new ArrayDeque<>();
    private final AtomicReference<GroupStatus> status = new AtomicReference<>();
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);

    private volatile boolean shutdownRequested;
    private volatile Boolean healthRequested;
    /** The health check's status line for the status endpoint; null while no check reports. */
    private volatile String healthStatus;
    private boolean shutdownDelivered;
    private boolean healthy = true;

    private boolean timerArmed;
    private long deadlineNanos;
    /** The receive queue was read once since the deadline expired (readQueuedFramesOnce). */
    private boolean deadlineChecked;
    private long nextHousekeepingNanos;
    /** When a MASTER with --garp-refresh announces its VIPs again. */
    private long nextRefreshNanos;
    /** The VIPs were just added: the next SendGratuitousArp is the takeover's, the first of garpCount. */
    private boolean takeoverAnnouncing;
    /** Takeover announcements still to send, the next one at nextAnnounceNanos; 0 when none is pending. */
    private int announcementsLeft;
    private long nextAnnounceNanos;
    /**
     * Extra announcements left (a token bucket of {@link #EXTRA_ANNOUNCEMENT_BURST}, one back per pacing gap): a
     * real contender's first adverts are answered at once, a flood of them is not.
     */
    private int extraAnnouncementTokens = EXTRA_ANNOUNCEMENT_BURST;
    private long extraTokensFrom;
    private long announcementsSuppressed;
    /**
     * The VIPs' configured lifetime, or null for forever; the one of the last add or renew of all of them (longer
     * while demoted, VipLifetime.forAdvskew), and when it started.
     */
    private final Duration vipLifetime;
    private Duration renewedLifetime;
    private boolean vipRenewed;
    private long lastRenewNanos;
    private LinkState linkState = LinkState.UP;
    private Boolean vipPresent;
    private byte[] nicMac;

    private long startNanos;
    private Instant startWall;
    private long transitionCount;
    private long sent;
    private long received;
    private long sendErrors;

    /**
     * @param config   the checked configuration of the group
     * @param link     an open link on {@code config.interfaceName()}
     * @param vips     the VIP manager of the same interface
     * @param scripts  the up/down scripts (possibly none)
     * @param nanoTime the monotonic clock ({@code System::nanoTime})
     * @param wall     for the timestamps of the status endpoint only; never for timers
     * @param random   counters and IP ids
     * @param changes  told of every state change, on the loop thread: it must only hand the change on
     */
    public Daemon(GroupConfig config, Link link, VipManager vips, VipScripts scripts, LongSupplier nanoTime,
            Clock wall, RandomGenerator random, Consumer<StateChange> changes) {
        this.config = Objects.requireNonNull(config, "config");
        this.link = Objects.requireNonNull(link, "link");
        this.vips = Objects.requireNonNull(vips, "vips");
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.wallClock = Objects.requireNonNull(wall, "wall");
        this.random = Objects.requireNonNull(random, "random");
        this.changes = Objects.requireNonNull(changes, "changes");

        this.election = new Election(new ElectionConfig(config.advbase(), config.advskew(), config.deadratio(),
                config.preempt(), config.neutral(), config.srcip(), config.srcip6()));
        CarpHmac hmac = new CarpHmac(config.password());
        VipAddresses all = VipAddresses.of(config.vips().stream().map(Cidr::address).toList());
        AuthMode auth = config.auth();
        LongSupplier epochNanos = () -> ReplayWindow.epochNanos(wall);
        // Strict adverts late by up to one interval of ours are reordered, not replayed (docs/protocol.md).
        this.filter = new AdvertFilter(filterConfig(config, all, hmac), drops, new ReplayWindow(
                Duration.ofNanos(Math.max(Timing.advertIntervalNanos(config.advbase(), config.advskew()),
                        TimeUnit.MILLISECONDS.toNanos(100))), ReplayWindow.DEFAULT_STALE_AFTER, epochNanos));
        this.sender = config.ipv4Vips().isEmpty() ? null
                : new CarpSender(config.srcip4(), config.mcastip(), config.nomcast(), all, hmac).withAuth(auth);
        this.sender6 = config.srcip6().map(ll -> new CarpSender(ll, Destination.IPV6_GROUP, all, hmac, auth)).orElse(null);
        this.unicastPeers = config.otherPeers();
        this.listedPeers = Set.copyOf(config.peers());
        // Unicast IPv6 adverts leave from this node's own listed address, which the peers check their lists for.
        this.unicastSender6 = config.unicastSource6().filter(a -> sender6 != null)
                // Its destination is each peer's, given per send; the group stands in until then.
                .map(a -> new CarpSender(a, Destination.IPV6_GROUP, all, hmac, auth)).orElse(null);
        this.counter = auth.sendsStrict() ? CarpCounter.strict(epochNanos) : new CarpCounter(random);
        this.ipIds = new SplittableRandom(random.nextLong());
        this.vipList = config.vips();
        this.vipCidr = config.vipCidr();
        this.vipCidrs = config.vipCidrs();
        this.vipLifetime = config.vipLifetime().orElse(null);

        long interval = Timing.advertIntervalNanos(config.advbase(), config.advskew());
        this.housekeepingNanos = Math.max(MIN_HOUSEKEEPING.toNanos(), Math.min(MAX_HOUSEKEEPING.toNanos(), interval));
        // The loop beats at least once per housekeeping period; three missed periods mean it is stuck.
        this.heartbeat = new LoopHeartbeat(Duration.ofNanos(Math.max(Duration.ofSeconds(3).toNanos(),
                3 * housekeepingNanos)), nanoTime);
        // UCarp logs every bad packet and floods syslog (ucarp-spec §7.13): a few per reason per minute.
        this.dropLog = new RateLimitedLog<>(5, Duration.ofMinutes(1), line -> LOG.warning(line));
        this.errorLog = new RateLimitedLog<>(5, Duration.ofMinutes(1), line -> LOG.warning(line));
        this.alertLog = new RateLimitedLog<>(5, Duration.ofMinutes(1), line -> LOG.warning(line));
        this.debugLog = new RateLimitedLog<>(DEBUG_LINES_PER_SECOND, Duration.ofSeconds(1), line -> LOG.fine(line));
    }

    /**
     * Runs until a requested shutdown completes. On return the VIP is not on the interface (unless
     * someone put it there after the last check). Scripts may still run: the caller closes their
     * runner with the time it can spare.
     *
     * @throws DaemonException if the host refused something the daemon cannot run without (the
     *                         link closed under it, or the VIP manager lacks CAP_NET_ADMIN)
     */
    public void run() throws DaemonException {
        try {
            start();
            while (!stopped()) {
                if (step()) {
                    continue;
                }
                long wait = Math.max(0, wakeNanos() - nanoTime.getAsLong());
                if (frames == null) {
                    received(link.receive(wait, view) ? view : null);
                } else {
                    received(frames.receive(Duration.ofNanos(wait)));
                }
            }
            finish();
        } catch (LinkException e) {
            throw new DaemonException(e.getMessage(), e);
        } finally {
            stoppedLatch.countDown();
        }
    }

    // ---- the loop, one step at a time: run() above, or a simulation on a virtual clock ----------

    /**
     * Starts the group: the election's Start (a VIP left by a crashed run is removed) and a first look at the
     * link. {@link #run()} calls it; a simulation calls it and then {@link #step()} and {@link #received}.
     */
    public void start() throws LinkException, DaemonException {
        startNanos = nanoTime.getAsLong();
        startWall = wallClock.instant();
        nicMac = link.mac().bytes();
        vipWatch = new VipWatch(vipList.stream().map(Cidr::address).toList(), MacAddress.of(nicMac), VIP_PROBE.toNanos());
        warmUpTakeover();
        LOG.info(() -> "vhid " + config.vhid() + ": starting on " + config.interfaceName() + " as "
                + config.srcip().getHostAddress() + ", VIP " + String.join(" ", config.vipCidrs()) + ", advbase "
                + config.advbase()
                + " advskew " + config.advskew() + (config.preempt() ? ", preempt" : "")
                + (config.auth() != AuthMode.UCARP ? ", --auth " + config.auth() : ""));
        enqueue(new Event.Start(startNanos));
        drain();
        if (!config.ignoreifstate()) {
            checkLink(nanoTime.getAsLong());
        }
        nextHousekeepingNanos = nanoTime.getAsLong();
        publish();
    }

    /** True once the election has stopped (after a requested shutdown); then call {@link #finish()}. */
    public boolean stopped() {
        return election.stopped();
    }

    /**
     * Does the work that is due now without waiting: requests from other threads, an expired timer,
     * housekeeping.
     *
     * @return true if it did something and must be called again at once; false if nothing is due before
     *         {@link #wakeNanos()}: then wait for a frame until then and hand the result to {@link #received}
     */
    public boolean step() throws LinkException, DaemonException {
        return step(false);
    }

    /**
     * {@link #step()}, from an {@link InterfaceLoop} that may be awake for another group's timer.
     *
     * @param coalesce the loop woke for another group's timer: this group's advert, if it is MASTER and the advert is
     *                 due within {@link Election#advertEarlyNanos()}, goes now, on the same wake-up (issue 14)
     */
    boolean step(boolean coalesce) throws LinkException, DaemonException {
        heartbeat.beat();
        long now = nanoTime.getAsLong();
        if (noticeStall(now)) {
            drain();
            publish();
            return true;
        }
        if (shutdownRequested && !shutdownDelivered) {
            shutdownDelivered = true;
            enqueue(new Event.ShutdownRequested(now));
        }
        Boolean health = healthRequested;
        if (health != null && health != healthy) {
            healthy = health;
            enqueue(new Event.HealthChanged(now, health));
        }
        boolean timerFired = false;
        if (timerArmed && now - deadlineNanos >= 0 && !readQueuedFramesOnce()) {
            timerArmed = false;
            enqueue(new Event.TimerFired(now));
            timerFired = true;
        } else if (coalesce && timerArmed && now - deadlineNanos < 0 && advertDueWithin(now)) {
            // Not late, so nothing queued to read first (readQueuedFramesOnce): the loop has just looked.
            timerArmed = false;
            enqueue(new Event.TimerFired(now, election.advertEarlyNanos()));
            timerFired = true;
        }
        if (!pending.isEmpty()) {
            drain();
            if (timerFired && !stopped()) {
                // Housekeeping due within half a period runs on the timer's wake-up (a master's advert) instead of
                // one of its own: half the wake-ups and one status less (issue 14). One that ran less than half a
                // period ago (on a wake-up of its own: a takeover's adverts start 50 ms after it, at the end of the
                // claim) waits for the next advert's wake-up instead, once and at most half a period late, so that
                // the two never settle into two wake-ups a period.
                if (nextHousekeepingNanos - now < housekeepingNanos / 2) {
                    housekeeping(now);
                }
                nextHousekeepingNanos = now + housekeepingNanos;
            }
            publish();
            return true;
        }
        if (announcementsLeft > 0 && now - nextAnnounceNanos >= 0) {
            announcementsLeft--;
            nextAnnounceNanos += config.garpInterval().toNanos();
            announce(now);
            return true;
        }
        if (defendPending && now - defendAtNanos >= 0) {
            defendPending = false;
            if (election.state() == State.MASTER && Boolean.TRUE.equals(vipPresent)) {
                announce(now);
            }
            return true;
        }
        if (now - nextHousekeepingNanos >= 0) {
            housekeeping(now);
            nextHousekeepingNanos = now + housekeepingNanos;
            publish();
            return true;
        }
        return false;
    }

    /**
     * True when {@link #step()} has work at {@code now}: an event, a request from another thread, the timer or
     * housekeeping. An {@link InterfaceLoop} steps only such groups; stepping any other would do nothing.
     */
    boolean due(long now) {
        Boolean health = healthRequested;
        return !pending.isEmpty() || now - wakeNanos() >= 0 || shutdownRequested && !shutdownDelivered
                || health != null && health != healthy;
    }

    /** True when the election's timer has expired at {@code now}: an {@link InterfaceLoop} wakes for it. */
    boolean timerExpired(long now) {
        return timerArmed && now - deadlineNanos >= 0;
    }

    /** True when a MASTER's advert is due at {@code now} or early enough to go with another group's (step(true)). */
    boolean advertDueWithin(long now) {
        return timerArmed && now - (deadlineNanos - election.advertEarlyNanos()) >= 0;
    }

    /** The next instant something is due: the election's timer, a spaced announcement or housekeeping. */
    public long wakeNanos() {
        long wake = nextHousekeepingNanos;
        if (timerArmed && deadlineNanos - wake < 0) {
            wake = deadlineNanos;
        }
        if (announcementsLeft > 0 && nextAnnounceNanos - wake < 0) {
            wake = nextAnnounceNanos;
        }
        if (defendPending && defendAtNanos - wake < 0) {
            wake = defendAtNanos;
        }
        return wake;
    }

    /**
     * Takes what waiting on the link gave: a frame, or nothing (the time was up, someone called
     * {@link Link#wakeup()}, or the interface changed state).
     */
    public void received(Optional<ReceivedFrame> frame) throws LinkException, DaemonException {
        ReceivedFrame f = frame.orElse(null);
        received(f == null ? null : f.buffer(), f == null ? 0 : f.receivedNanos());
    }

    /**
     * As {@link #received(Optional)}, for a frame read into the loop's reusable view ({@link Link#receive(long,
     * FrameView)}), or null for nothing: the path that allocates nothing for a frame that is dropped (issue 16).
     */
    void received(FrameView frame) throws LinkException, DaemonException {
        received(frame == null ? null : frame.buffer(), frame == null ? 0 : frame.receivedNanos());
    }

    private void received(ByteBuffer frame, long receivedNanos) throws LinkException, DaemonException {
        // A frame read after a freeze is seen by a node that knows it was frozen.
        noticeStall(nanoTime.getAsLong());
        boolean dropped = false;
        if (frame != null) {
            dropped = !onFrame(frame, receivedNanos) && pending.isEmpty();
        } else if (!config.ignoreifstate()) {
            // An empty receive may mean the interface changed state: look now, not at housekeeping.
            checkLink(nanoTime.getAsLong());
        }
        drain();
        if (!dropped) {
            // A dropped frame changes only a counter, which the next housekeeping publishes: under a flood of
            // invalid frames, building the status for each one would be most of the loop's work.
            publish();
        }
    }

    /** Publishes the final status once the election stopped. */
    public void finish() {
        publish();
        LOG.info(() -> "vhid " + config.vhid() + ": stopped");
    }

    /**
     * ucarp-spec §4.3 steps 5-6: UCarp processes a frame that is already readable before it looks at its
     * master-down deadline. A loop that reaches an expired deadline late (its CPU was taken by other work, a GC
     * pause) first reads what already waits in the receive queue, so that a backup does not take over from a
     * master whose adverts arrived in time. Bounded, so a flood cannot hold the timer off.
     *
     * <p>Once per deadline: the loop then looks at the (possibly re-armed) timer again, and fires it if it is
     * still due, even if more frames came meanwhile (a flood of other traffic cannot hold it off).
     *
     * @return true if frames were read for this deadline just now
     */
    private boolean readQueuedFramesOnce() throws LinkException {
        if (deadlineChecked) {
            return false;
        }
        deadlineChecked = true;
        int read = 0;
        int max = election.state() == State.BACKUP ? MAX_QUEUED_FRAMES_BEFORE_TAKEOVER : MAX_QUEUED_FRAMES_BEFORE_TIMER;
        while (read < max) {
            if (frames == null) {
                if (!link.receive(0, view)) {
                    break;
                }
                onFrame(view.buffer(), view.receivedNanos());
            } else {
                Optional<ReceivedFrame> frame = frames.receive(Duration.ZERO);
                if (frame.isEmpty()) {
                    break;
                }
                onFrame(frame.get().buffer(), frame.get().receivedNanos());
            }
            read++;
        }
        return read > 0;
    }

    // ---- sharing one link with other groups (InterfaceLoop) ------------------------------------

    /** The group's vhid, which frames are routed by. */
    int vhid() {
        return config.vhid();
    }

    /** Takes frames from {@code source} instead of the link; before {@link #start()}. */
    void useFrames(FrameSource source) {
        this.frames = Objects.requireNonNull(source, "source");
    }

    /** Counts down {@link #awaitStopped} when an {@link InterfaceLoop} ran this group instead of {@link #run()}. */
    void markStopped() {
        stoppedLatch.countDown();
    }

    /** Takes a frame of this group that another group's loop read; handled at the next {@link #step()}. */
    void offer(ReceivedFrame frame) {
        onFrame(frame.buffer(), frame.receivedNanos());
    }

    // ---- inputs from other threads -------------------------------------------------------------

    /** Asks the loop to stop gracefully (SIGTERM): a master bows out and removes the VIP. Any thread. */
    public void requestShutdown() {
        shutdownRequested = true;
        link.wakeup();
    }

    /** Reports the node's health (after hysteresis); an unhealthy node is demoted. Any thread. */
    public void setHealthy(boolean value) {
        setHealth(value, value ? "ok" : "failing");
    }

    /**
     * Reports the node's health (after hysteresis) with the status line {@code karp status} shows
     * ({@code ok}, {@code failing: connection refused}, ...); an unhealthy node is demoted. Any thread:
     * the health monitor calls it from its own, and the loop picks the change up at once.
     */
    public void setHealth(boolean value, String status) {
        healthStatus = Objects.requireNonNull(status, "status");
        healthRequested = value;
        link.wakeup();
    }

    /** Waits until {@link #run()} has returned. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stoppedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The latest status, as the loop last published it; before the first iteration, INIT. */
    public GroupStatus status() {
        GroupStatus s = status.get();
        return s != null ? s : initialStatus(config, wallClock.instant());
    }

    /** A group's status before its loop ran: INIT, nothing heard, nothing counted. */
    public static GroupStatus initialStatus(GroupConfig config, Instant at) {
        return new GroupStatus(config.vhid(), config.interfaceName(), config.vipCidr(), config.vipCidrs(), FailoverState.INIT,
                config.advbase(), config.advskew(), Optional.empty(), at, 0, Optional.empty(), Optional.empty(),
                List.of(), new GroupStatus.Counters(0, 0, Map.of()), List.of(), OptionalDouble.empty(),
                config.otherPeers().stream().map(InetAddress::getHostAddress).toList());
    }

    /** True while the loop iterates (for {@code /healthz} and {@code karp healthcheck}). */
    public LoopHeartbeat heartbeat() {
        return heartbeat;
    }

    /** The election's state, for tests; only meaningful on the loop thread or after run() returned. */
    State state() {
        return election.state();
    }

    // ---- frames --------------------------------------------------------------------------------

    /**
     * @return true for an accepted advert (the status shows it at once); false for a frame dropped or an address
     *         claim, whose counts the next housekeeping publishes
     */
    private boolean onFrame(ByteBuffer frame, long receivedNanos) {
        if (claimFrame(frame, receivedNanos)) {
            return false;
        }
        // Most frames of a flood are invalid: a bare drop, counted, allocates nothing (issue 16: the young GCs of a
        // per-frame garbage held the real-time loop off); only a drop that is logged is described.
        AdvertChain.Verdict verdict = filter.checkLean(frame, ownAdverts);
        if (verdict instanceof AdvertChain.Verdict.Accepted accepted) {
            CarpPacket p = accepted.packet();
            InetAddress src = p.ipSrc();
            if (!listedPeers.isEmpty() && !listedPeers.contains(src)) {
                // Unicast mode: the password is right, but a node not in the list must not take part.
                drops.increment(DropReason.NOT_A_PEER);
                dropLog.log(DropReason.NOT_A_PEER, receivedNanos, () -> "vhid " + config.vhid()
                        + ": ignored an advert from " + src.getHostAddress() + ", which is not in --peer; add it to"
                        + " every node's list if it belongs to the group");
                return false;
            }
            if (!listedPeers.isEmpty()) {
                peerHeardNanos.put(src, receivedNanos);
            }
            received++;
            boolean ipv6 = src instanceof java.net.Inet6Address;
            boolean twin = twins.isTwin(p.counter(), ipv6, receivedNanos,
                    Timing.advertIntervalNanos(p.advbase(), p.advskew()) / 2);
            if (twin) {
                // The other family's copy of an advert already handled: the election counts each advert once.
                peers.put(src, new PeerSeen(p.advbase(), p.advskew(), receivedNanos));
                return true;
            }
            // ucarp-spec §2.4: adopt the peer's counter, so our next advert carries received + 1. Strict counters
            // only learn from strict adverts: a UCarp one may be forged.
            if (!counter.isStrict() || accepted.strict()) {
                counter.learn(p.counter());
            }
            peers.put(src, new PeerSeen(p.advbase(), p.advskew(), receivedNanos));
            secondMaster(src, p, receivedNanos);
            if (config.debug()) {
                debugLog.log("debug", receivedNanos, () -> "received advert from " + src.getHostAddress()
                        + " advbase " + p.advbase() + " advskew " + p.advskew());
            }
            enqueue(new Event.AdvertReceived(receivedNanos, src, p.advbase(), p.advskew(),
                    OptionalLong.of(p.counter())));
            return true;
        } else if (verdict instanceof AdvertChain.Verdict.Dropped dropped) {
            // A bare drop is described again if logged; a replay is not bare (the window is the filter's alone).
            dropped(dropped.reason(), dropped.bare() ? null : dropped, frame, receivedNanos);
        }
        return false;
    }

    /**
     * A drop never touches timers or state (ucarp-spec §1.6); the filter counted it. Its line is built (from
     * {@code verdict}, or the frame described again when null) only when the rate limit lets it through.
     */
    private void dropped(DropReason reason, AdvertChain.Verdict.Dropped verdict, ByteBuffer frame, long receivedNanos) {
        if (reason == DropReason.SPOOFED_SOURCE) {
            long mac = 0;
            for (int i = 0; i < 6; i++) {
                mac = mac << 8 | (frame.get(frame.position() + 6 + i) & 0xffL);
            }
            spoofedFrom = new MacAddress(mac);
            spoofedNanos = receivedNanos;
        }
        RateLimitedLog<?> log = null;
        if (reason.noteworthy()) {
            log = dropLog.admit(reason, receivedNanos) ? dropLog : null;
        } else if (config.debug()) {
            log = debugLog.admit("debug", receivedNanos) ? debugLog : null;
        }
        if (log != null) {
            AdvertChain.Verdict described = verdict != null ? verdict : filter.describe(frame, ownAdverts);
            log.write(described instanceof AdvertChain.Verdict.Dropped d ? d.message()
                    : "vhid " + config.vhid() + ": dropped a frame: " + reason.label());
        }
    }

    /**
     * An ARP frame or IPv6 neighbour advertisement (the capture passes those about our VIPs, issue 16): who answers
     * for the VIPs. Never an advert, never counted as a drop, never touches the election.
     *
     * @return true if the frame was one, handled here
     */
    private boolean claimFrame(ByteBuffer b, long now) {
        if (b.remaining() < 14) {
            return false;
        }
        int type = (b.get(b.position() + 12) & 0xff) << 8 | (b.get(b.position() + 13) & 0xff);
        if (type != Carp.ETHERTYPE_ARP && type != Carp.ETHERTYPE_IPV6) {
            return false;
        }
        // Only a claim of a watched address is built: a flood of other ARP frames allocates nothing (issue 16).
        int match = vipWatch == null ? AddressClaim.NO_CLAIM : vipWatch.match(b);
        if (match != AddressClaim.WATCHED) {
            return match == AddressClaim.OTHER_ADDRESS || type == Carp.ETHERTYPE_ARP;
        }
        Optional<AddressClaim> claim = AddressClaim.of(b);
        if (claim.isEmpty()) {
            return type == Carp.ETHERTYPE_ARP;
        }
        AddressClaim c = claim.get();
        vipWatch.claim(c, election.state() == State.MASTER, now).ifPresent(conflict -> {
            boolean defend = !defendPending && now - nextDefendNanos >= 0;
            alertLog.log("conflict", now, () -> "vhid " + config.vhid() + ": " + IpAddresses.format(conflict.vip())
                    + " is also claimed by " + conflict.mac() + " while this node holds it (a stale holder, a"
                    + " misconfigured host, or a master that does not hear this node's adverts)"
                    + (defend ? "; announcing it again unless this node yields first" : ""));
            if (defend) {
                // RFC 5227 §2.4 (b): defend the address once per interval. Not at once: when two backups take
                // over together, the loser sees the winner's announcement before (or with) its advert, and
                // defending then pointed clients at a node about to yield (a chaos round lost the client's
                // pings). A CARP master that is better makes this node yield by its adverts within one interval.
                nextDefendNanos = now + DEFEND_INTERVAL.toNanos();
                defendPending = true;
                defendAtNanos = now + Timing.advertIntervalNanos(config.advbase(), election.advskew());
            }
        });
        return true;
    }

    /** Two masters of the vhid heard at once: counted and warned of (SecondMasters). */
    private void secondMaster(InetAddress src, CarpPacket p, long now) {
        Long masterSince = election.state() == State.MASTER ? election.since() : null;
        secondMasters.advert(src, now, Timing.advertIntervalNanos(p.advbase(), p.advskew()), p.isBowOut(), masterSince)
                .ifPresent(what -> alertLog.log("two masters", now, () -> "vhid " + config.vhid() + ": " + what));
    }

    /** A BACKUP asks who holds the VIP and its master's address, and says when they differ (VipWatch). */
    private void probeVip(long now) {
        if (vipWatch == null || sender == null) {
            return;
        }
        InetAddress master = election.state() == State.BACKUP ? election.master() : null;
        for (Inet4Address who : vipWatch.backup(master, now)) {
            try {
                link.send(AddressClaim.arpRequest(MacAddress.of(nicMac), config.srcip4(), who));
            } catch (LinkException e) {
                errorLog.log("probe", now, () -> "vhid " + config.vhid() + ": cannot ask who holds "
                        + who.getHostAddress() + ": " + e.getMessage());
            }
        }
        String phantom = vipWatch.phantom().orElse(null);
        if (!Objects.equals(phantom, phantomLogged)) {
            if (phantom != null) {
                LOG.warning("vhid " + config.vhid() + ": " + phantom + "; forged adverts of a better master, or that"
                        + " master's VIP is missing (check it); this node does not take over on this alone");
            } else {
                LOG.info("vhid " + config.vhid() + ": the master " + (master == null ? "" : master.getHostAddress()
                        + " ") + "holds the VIP again, or this node follows no master now");
            }
            phantomLogged = phantom;
        }
    }

    // ---- events and actions --------------------------------------------------------------------

    private void enqueue(Event event) {
        pending.addLast(event);
    }

    /** Feeds queued events to the election; actions may queue more (send results). */
    private void drain() throws DaemonException {
        while (!pending.isEmpty()) {
            Event event = pending.removeFirst();
            for (Action action : election.handle(event)) {
                execute(action, event.nowNanos());
            }
        }
        while (!unreported.isEmpty()) {
            changes.accept(unreported.removeFirst());
        }
    }

    private void execute(Action action, long now) throws DaemonException {
        if (action instanceof Action.SendAdvert a) {
            sendAdvert(a.advbase(), a.advskew(), now);
            renewVipIfDue();
        } else if (action instanceof Action.AddVip) {
            addVip();
            takeoverAnnouncing = true;
        } else if (action instanceof Action.RemoveVip) {
            removeVip();
            takeoverAnnouncing = false;
            announcementsLeft = 0;
            defendPending = false;
        } else if (action instanceof Action.SendGratuitousArp) {
            if (takeoverAnnouncing) {
                takeoverAnnouncing = false;
                startAnnouncements(now);
            } else {
                extraAnnouncement(now);
            }
        } else if (action instanceof Action.ArmTimer t) {
            timerArmed = true;
            deadlineNanos = t.deadlineNanos();
            deadlineChecked = false;
        } else if (action instanceof Action.CancelTimer) {
            timerArmed = false;
        } else if (action instanceof Action.StateChanged c) {
            onStateChanged(c);
        } else if (action instanceof Action.Stopped) {
            timerArmed = false;
        } else {
            throw new IllegalStateException("unknown action " + action);
        }
    }

    /**
     * Builds an advert and a gratuitous ARP once, sending neither. A backup may wait weeks for its
     * first takeover; loading and linking this code only then cost about 5 ms on the way to the VIP
     * in the lab (more on a busy node), time in which the next backup may take over as well.
     */
    private void warmUpTakeover() {
        for (CarpSender s : new CarpSender[] {sender, sender6}) {
            if (s != null) {
                CarpCodec.encode(s, new Advert(config.vhid(), config.advbase(), config.advskew(), 0), random);
            }
        }
        if (sender6 != null) {
            NeighborAdvertisement.frame(MacAddress.of(nicMac), config.srcip6().get(), config.ipv6Vips().get(0));
        }
        config.ipv4Vips().stream().findFirst().ifPresent(v -> GratuitousArp.frame(nicMac, v));
        publicState(State.MASTER);
        new StateChange(config.vhid(), FailoverState.BACKUP, FailoverState.MASTER, "warm-up", wallClock.instant());
    }

    private void sendAdvert(int advbase, int advskew, long now) {
        // One counter for both families: a backup that hears both knows the second for the same advert.
        Advert advert = new Advert(config.vhid(), advbase, advskew, counter.next());
        ownAdverts.sent(advert.counter(), advbase, advskew);
        boolean ok = false;
        LinkException failure = null;
        for (InetAddress peer : unicastPeers) {
            CarpSender s = peer instanceof java.net.Inet6Address ? unicastSender6 : sender;
            MacAddress mac = peerMacs.get(peer);
            if (s == null) {
                continue;
            }
            if (mac == null) {
                // Not resolved yet: housekeeping asks the kernel; the advert to this peer is skipped meanwhile.
                unresolvedSends++;
                continue;
            }
            try {
                byte[] frame = new byte[s.frameLength()];
                CarpCodec.encode(s, new Destination(peer, mac), advert, ipIds.nextInt(0x10000), frame, 0);
                link.send(frame);
                sent++;
                ok = true;
            } catch (LinkException e) {
                failure = e;
            }
        }
        for (int i = 0; i < 2 && unicastPeers.isEmpty(); i++) {
            CarpSender s = i == 0 ? sender : sender6;
            if (s == null) {
                continue;
            }
            try {
                link.send(CarpCodec.encode(s, advert, ipIds));
                sent++;
                ok = true;
            } catch (LinkException e) {
                failure = e;
            }
        }
        if (ok || failure == null && !unicastPeers.isEmpty()) {
            // In unicast mode an advert to no resolved peer is not a send error: nobody is there yet.
            enqueue(new Event.SendSucceeded(now));
        } else {
            sendErrors++;
            LinkException e = failure;
            errorLog.log("send", now, () -> "vhid " + config.vhid() + ": cannot send advert: "
                    + (e == null ? "no peer's MAC is known" : e.getMessage()));
            enqueue(new Event.SendFailed(now));
        }
    }

    /**
     * A takeover's announcements: the first now, the other {@code garpCount - 1} spaced by {@code garpInterval}
     * (scheduled in the loop, cancelled when the node leaves MASTER), so that one lost frame does not leave a client
     * or switch pointing at the old master. A zero interval sends them all now.
     */
    private void startAnnouncements(long now) {
        announce(now);
        announcementsLeft = config.garpCount() - 1;
        nextAnnounceNanos = now + config.garpInterval().toNanos();
        while (announcementsLeft > 0 && config.garpInterval().isZero()) {
            announcementsLeft--;
            announce(now);
        }
    }

    /**
     * An announcement the election asks for beyond the takeover's (a less preferred master advertised, or
     * UCarp's delayed GARP): {@link #EXTRA_ANNOUNCEMENT_BURST} at once, then one per advert interval (and second).
     * Anyone can send a less preferred advert, and answering each with a GARP let a flood of them make a master send
     * thousands a second. The burst matters: when two backups take over at once, the loser's GARP can reach clients
     * after the winner's takeover announcement, and the winner's answer to the loser's advert puts them right at
     * once (a chaos soak saw 1.1 s outages while that answer waited for the pacing).
     */
    private void extraAnnouncement(long now) {
        long gap = Math.max(TimeUnit.SECONDS.toNanos(1), Timing.advertIntervalNanos(config.advbase(), config.advskew()));
        // While the bucket is full its clock is not read (regained tokens are capped, and it restarts at the next
        // spend), so it needs no start.
        long regained = (now - extraTokensFrom) / gap;
        if (regained > 0) {
            extraAnnouncementTokens = (int) Math.min(EXTRA_ANNOUNCEMENT_BURST, extraAnnouncementTokens + regained);
            extraTokensFrom += regained * gap;
        }
        if (extraAnnouncementTokens == 0) {
            announcementsSuppressed++;
            errorLog.log("garp-suppressed", now, () -> "vhid " + config.vhid() + ": rate-limited announcements of the"
                    + " VIPs (" + announcementsSuppressed + " left out so far, at most one per " + Durations.seconds(gap)
                    + " s after a burst of " + EXTRA_ANNOUNCEMENT_BURST + "); adverts of a less preferred master keep"
                    + " arriving: another node believes it is master, or someone replays adverts");
            return;
        }
        if (extraAnnouncementTokens == EXTRA_ANNOUNCEMENT_BURST) {
            extraTokensFrom = now;
        }
        extraAnnouncementTokens--;
        announce(now);
    }

    /** Announces every VIP once: a gratuitous ARP per IPv4 VIP, an unsolicited neighbour advertisement per IPv6 one. */
    private void announce(long now) {
        if (config.garpRefresh().isPresent()) {
            nextRefreshNanos = now + config.garpRefresh().get().toNanos();
        }
        for (Cidr vip : vipList) {
            try {
                // IPv6: an unsolicited neighbour advertisement with the Override flag, as the BSD kernels send.
                link.send(vip.isIpv4() ? GratuitousArp.frame(nicMac, vip.ipv4())
                        : NeighborAdvertisement.frame(MacAddress.of(nicMac), config.srcip6().get(),
                                (java.net.Inet6Address) vip.address()));
            } catch (LinkException e) {
                errorLog.log("garp", now, () -> "vhid " + config.vhid() + ": cannot send gratuitous ARP: "
                        + e.getMessage());
                return;
            }
        }
    }

    /** Announcements left out by the rate limit of {@link #extraAnnouncement} since start. */
    long announcementsSuppressed() {
        return announcementsSuppressed;
    }

    private void addVip() throws DaemonException {
        boolean all = true;
        // Taken before the first add: the kernel counts each address's lifetime from its own add, a little later.
        long started = nanoTime.getAsLong();
        Duration current = currentLifetime();
        Optional<Duration> lifetime = Optional.ofNullable(current);
        for (Cidr vip : vipList) {
            try {
                if (vips.add(vip, lifetime)) {
                    // A plain string, no lambda: this line runs first on a backup's first takeover.
                    LOG.info("vhid " + config.vhid() + ": added " + vip + " to " + config.interfaceName());
                } else if (current != null) {
                    // Already there (a neutral start, a leftover): an address keeps its old lifetime unless renewed.
                    vips.renew(vip, current);
                }
            } catch (VipException e) {
                all = false;
                failOnPermission(e, "cannot add " + vip + " to " + config.interfaceName());
            }
        }
        vipRenewed = all;
        lastRenewNanos = started;
        renewedLifetime = current;
        vipPresent = all;
        // Scripts run on the runner's own thread and log their outcome: the loop never waits.
        scripts.up();
    }

    private void removeVip() throws DaemonException {
        vipRenewed = false;
        for (Cidr vip : vipList) {
            try {
                if (vips.remove(vip)) {
                    LOG.info(() -> "vhid " + config.vhid() + ": removed " + vip.address().getHostAddress() + " from "
                            + config.interfaceName());
                }
            } catch (VipException e) {
                failOnPermission(e, "cannot remove " + vip + " from " + config.interfaceName());
            }
        }
        vipPresent = false;
        scripts.down();
    }

    /**
     * A MASTER extends its VIPs' lifetime as it advertises, at most every quarter lifetime: the kernel then never
     * expires them while the loop runs, and does so about one lifetime after the loop stopped.
     */
    private void renewVipIfDue() throws DaemonException {
        if (vipLifetime == null || election.state() != State.MASTER) {
            return;
        }
        long started = nanoTime.getAsLong();
        Duration current = currentLifetime();
        if (vipRenewed && current.equals(renewedLifetime)
                && started - lastRenewNanos < VipLifetime.renewEveryNanos(current)) {
            return;
        }
        boolean all = true;
        for (Cidr vip : vipList) {
            try {
                vips.renew(vip, current);
            } catch (VipException e) {
                all = false;
                failOnPermission(e, "cannot renew the lifetime of " + vip + " on " + config.interfaceName());
            }
        }
        if (all) {
            // A failed renew leaves the old time: if renews keep failing, the master rejoins as a backup before
            // its VIPs expire under it (noticeStall).
            vipRenewed = true;
            lastRenewNanos = started;
            renewedLifetime = current;
        }
    }

    /** The lifetime to add or renew with now: the configured one, longer while demoted; null for forever. */
    private Duration currentLifetime() {
        return vipLifetime == null ? null : VipLifetime.forAdvskew(vipLifetime, config.advbase(), election.advskew());
    }

    /**
     * A MASTER whose VIPs went without a renew for nearly their lifetime was frozen (SIGSTOP, a paused VM, a long GC,
     * a starved CPU): the kernel may have removed them and a backup may hold them now. Renewing, re-adding or
     * answering that backup's adverts with a GARP would fight it; instead the election hears Event.Stalled first and
     * the node rejoins as a BACKUP. Called before anything else the loop does after a wait.
     *
     * @return true if the stall was queued (the caller drains)
     */
    private boolean noticeStall(long now) {
        if (vipLifetime == null || !vipRenewed || election.state() != State.MASTER
                || now - lastRenewNanos <= VipLifetime.stalledAfterNanos(renewedLifetime)) {
            return false;
        }
        long stalled = now - lastRenewNanos;
        vipRenewed = false;
        LOG.warning(() -> "vhid " + config.vhid() + ": the loop stood still for " + Durations.seconds(stalled)
                + " s as MASTER (the VIP lifetime is " + Durations.seconds(renewedLifetime.toNanos()) + " s); the VIP may"
                + " have expired and a backup taken over: rejoining as a backup, not renewing");
        pending.addFirst(new Event.Stalled(now, stalled));
        return true;
    }

    /**
     * Without CAP_NET_ADMIN nothing can work: stop with the message. Any other VIP error (the
     * interface is being re-created, say) is logged and retried by housekeeping.
     */
    private void failOnPermission(VipException e, String what) throws DaemonException {
        if (e.errno() == EPERM || e.errno() == EACCES) {
            throw new DaemonException(what + ": " + e.getMessage(), e);
        }
        errorLog.log("vip", nanoTime.getAsLong(), () -> "vhid " + config.vhid() + ": " + what + ": " + e.getMessage());
    }

    private void onStateChanged(Action.StateChanged c) {
        transitionCount++;
        if (c.to() == State.MASTER && !unicastPeers.isEmpty() && peerHeardNanos.isEmpty()) {
            // CARP takes over when it hears nobody; in unicast mode that is also what a broken list or a firewall
            // dropping protocol 112 looks like. Say so: two masters may be the result.
            errorLog.log("unheard", nanoTime.getAsLong(), () -> "vhid " + config.vhid() + ": taking over without"
                    + " having heard any of its peers (" + String.join(", ", unheard()) + "); if one of them runs,"
                    + " their adverts do not reach this node: check every node's --peer list and that IP protocol"
                    + " 112 passes between them");
        }
        LOG.info(() -> "vhid " + config.vhid() + ": " + c.from() + " -> " + c.to() + " (" + c.reason() + ")");
        StateChange change = new StateChange(config.vhid(), publicState(c.from()), publicState(c.to()), c.reason(),
                wallClock.instant());
        transitions.addLast(change);
        // Told after the whole batch of actions ran (drain): the VIP is on the interface by then, or gone.
        unreported.addLast(change);
        while (transitions.size() > TRANSITIONS_KEPT) {
            transitions.removeFirst();
        }
    }

    // ---- housekeeping --------------------------------------------------------------------------

    private void housekeeping(long now) throws LinkException, DaemonException {
        if (!config.ignoreifstate()) {
            checkLink(now);
        }
        checkVip(now);
        refreshPeerMacs();
        if (config.garpRefresh().isPresent() && election.state() == State.MASTER && now - nextRefreshNanos >= 0) {
            announce(now);
        }
        probeVip(now);
        if (now - nextCaptureStatsNanos >= 0) {
            nextCaptureStatsNanos = now + CAPTURE_STATS_PERIOD.toNanos();
            captureStats = link.captureStats().orElse(captureStats);
        }
        dropLog.tick(now);
        errorLog.tick(now);
        alertLog.tick(now);
        debugLog.tick(now);
        drain();
    }

    /** Unicast mode: the peers' MACs as the kernel knows them now; unknown ones are resolved for next time. */
    private void refreshPeerMacs() throws LinkException {
        if (neighbours == null) {
            return;
        }
        for (InetAddress peer : unicastPeers) {
            Optional<MacAddress> mac = neighbours.lookup(peer);
            if (mac.isPresent()) {
                peerMacs.put(peer, mac.get());
            } else {
                peerMacs.remove(peer);
                neighbours.resolve(peer);
            }
        }
    }

    /**
     * Unicast mode: where the peers' MACs come from; before {@link #start()}. Without it no unicast advert can be
     * addressed.
     */
    public void neighbours(NeighbourTable table) {
        this.neighbours = Objects.requireNonNull(table, "table");
    }

    private void checkLink(long now) throws LinkException {
        LinkState s = link.state();
        if (s == linkState) {
            return;
        }
        LinkState before = linkState;
        linkState = s;
        LOG.warning(() -> "vhid " + config.vhid() + ": link " + config.interfaceName() + " is " + describe(s)
                + " (was " + describe(before) + ")");
        if ((s == LinkState.UP) != (before == LinkState.UP)) {
            enqueue(new Event.LinkChanged(now, s == LinkState.UP));
        }
    }

    private static String describe(LinkState s) {
        return switch (s) {
            case UP -> "up";
            case NO_CARRIER -> "up without carrier";
            case ADMIN_DOWN -> "administratively down";
            case GONE -> "gone";
        };
    }

    /** Host invariants 2 and 3 of the class comment. */
    private void checkVip(long now) throws DaemonException {
        if (linkState == LinkState.GONE) {
            vipPresent = null;
            return;
        }
        Set<InetAddress> onInterface;
        try {
            onInterface = vips.addresses();
        } catch (VipException e) {
            failOnPermission(e, "cannot list the addresses of " + config.interfaceName());
            return;
        }
        State s = election.state();
        boolean allPresent = true;
        boolean announce = false;
        for (Cidr vip : vipList) {
            boolean present = onInterface.contains(vip.address());
            try {
                if (s == State.BACKUP && present) {
                    if (config.neutral() && election.master() == null) {
                        // --neutral (ucarp-spec §5): a VIP found at start is left alone until a master is heard.
                        continue;
                    }
                    LOG.warning(() -> "vhid " + config.vhid() + ": " + vip.address().getHostAddress() + " appeared on "
                            + config.interfaceName() + " while " + s + "; removing it (only the master may hold it)");
                    vips.remove(vip);
                    present = false;
                } else if (s == State.MASTER && !present) {
                    LOG.warning(() -> "vhid " + config.vhid() + ": " + vip.address().getHostAddress()
                            + " disappeared from " + config.interfaceName() + " while MASTER; adding it back");
                    vips.add(vip, Optional.ofNullable(currentLifetime()));
                    present = true;
                    announce = true;
                }
            } catch (VipException e) {
                failOnPermission(e, "cannot check " + vip + " on " + config.interfaceName());
            }
            allPresent &= present;
        }
        // With several VIPs, "present" means all of them: a master missing one is not serving it.
        vipPresent = s == State.MASTER ? allPresent : vipList.stream().anyMatch(v -> onInterface.contains(v.address()));
        if (announce) {
            announce(now);
        }
    }

    // ---- status --------------------------------------------------------------------------------

    private void publish() {
        long now = nanoTime.getAsLong();
        List<GroupStatus.Peer> heard = new ArrayList<>();
        peers.entrySet().removeIf(e -> now - e.getValue().lastSeenNanos()
                > PEER_FORGET_INTERVALS * Math.max(Timing.advertIntervalNanos(e.getValue().advbase(), e.getValue().advskew()),
                        TimeUnit.SECONDS.toNanos(1)));
        peers.forEach((src, p) -> heard.add(new GroupStatus.Peer(src.getHostAddress(), p.advbase(), p.advskew(),
                Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(now - p.lastSeenNanos())))));
        long dropped = drops.total();
        if (dropped != rejectedTotal) {
            Map<String, Long> counts = new LinkedHashMap<>();
            drops.snapshot().forEach((reason, n) -> {
                if (n > 0) {
                    counts.put(reason.name(), n);
                }
            });
            rejected = counts;
            rejectedTotal = dropped;
        }
        InetAddress master = election.master();
        State state = election.state();
        FailoverState publicState = stopped() ? FailoverState.STOPPED : publicState(state);
        GroupStatus s = new GroupStatus(config.vhid(), config.interfaceName(), vipCidr, vipCidrs, publicState,
                config.advbase(), election.advskew(), Optional.ofNullable(master).map(InetAddress::getHostAddress),
                wallAt(election.since()), transitionCount, Optional.ofNullable(vipPresent),
                Optional.ofNullable(healthStatus), heard, new GroupStatus.Counters(sent, received, rejected),
                List.copyOf(transitions),
                state == State.BACKUP ? OptionalDouble.of(election.masterDownNanos() / 1e9) : OptionalDouble.empty(),
                unheard(), alerts(now));
        status.set(s);
    }

    private GroupStatus.Alerts alerts(long now) {
        CaptureStats c = captureStats;
        return new GroupStatus.Alerts(
                spoofedFrom != null && now - spoofedNanos < SPOOF_SHOWN.toNanos()
                        ? Optional.of(spoofedFrom.toString()) : Optional.empty(),
                vipWatch == null ? 0 : vipWatch.conflicts(),
                vipWatch == null ? Optional.empty() : vipWatch.recentConflict(now)
                        .map(k -> IpAddresses.format(k.vip()) + " at " + k.mac()),
                vipWatch == null ? Optional.empty() : vipWatch.phantom(),
                secondMasters.episodes(), secondMasters.current(now),
                c == null ? OptionalLong.empty() : OptionalLong.of(c.dropped()),
                c == null ? OptionalLong.empty() : OptionalLong.of(c.ifDropped()));
    }

    /** Unicast mode: the other listed peers no advert came from since start. */
    private List<String> unheard() {
        if (unicastPeers.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (InetAddress p : unicastPeers) {
            if (!peerHeardNanos.containsKey(p)) {
                out.add(p.getHostAddress());
            }
        }
        return out;
    }

    private Instant wallAt(long nanos) {
        if (startWall == null) {
            return wallClock.instant();
        }
        return startWall.plusNanos(nanos - startNanos);
    }

    /** The public form of an election state. A switch, not a name lookup: it runs on the takeover path. */
    static FailoverState publicState(State s) {
        switch (s) {
            case MASTER:
                return FailoverState.MASTER;
            case BACKUP:
                return FailoverState.BACKUP;
            default:
                return FailoverState.INIT;
        }
    }

    private static AdvertFilter.Config filterConfig(GroupConfig config, VipAddresses vips, CarpHmac hmac) {
        Set<InetAddress> own = new HashSet<>();
        Set<InetAddress> destinations = new HashSet<>();
        if (config.unicast()) {
            // Unicast mode: adverts come to this node's own listed addresses; multicast ones are ignored.
            own.addAll(config.ownPeerAddresses());
            config.srcip6().ifPresent(own::add);
            destinations.addAll(config.ownPeerAddresses());
            return new AdvertFilter.Config(own, config.vhid(), destinations, vips, hmac, config.auth());
        }
        if (!config.ipv4Vips().isEmpty()) {
            own.add(config.srcip());
            destinations.add(config.mcastip());
        }
        config.srcip6().ifPresent(ll -> {
            own.add(ll);
            destinations.add(Carp.DEFAULT_GROUP_IPV6);
        });
        return new AdvertFilter.Config(own, config.vhid(), destinations, vips, hmac, config.auth());
    }

    private record PeerSeen(int advbase, int advskew, long lastSeenNanos) {
    }
}
