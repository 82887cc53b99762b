package dev.karp;

import dev.karp.carp.AuthMode;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpPassword;
import dev.karp.config.HostInterface;
import dev.karp.config.HostInterfaces;
import dev.karp.config.LinuxHostInterfaces;
import dev.karp.daemon.Daemon;
import dev.karp.files.RegularFiles;
import dev.karp.daemon.DaemonException;
import dev.karp.daemon.GroupConfig;
import dev.karp.daemon.InterfaceLoop;
import dev.karp.daemon.LoopPriority;
import dev.karp.daemon.VipLifetime;
import dev.karp.health.HealthMonitor;
import dev.karp.health.HealthProbe;
import dev.karp.link.LinkException;
import dev.karp.log.KarpLogging;
import dev.karp.link.Neighbours;
import dev.karp.link.PcapLink;
import dev.karp.net.Cidr;
import dev.karp.net.IpAddresses;
import dev.karp.scripts.ScriptRunner;
import dev.karp.time.Durations;
import dev.karp.vip.InstanceLock;
import dev.karp.vip.NetlinkVipManager;
import dev.karp.vip.VipManager;
import dev.karp.vip.VipException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Holds a virtual IP on exactly one node of a CARP group: the library's one entry point, wire-compatible with
 * UCarp and used by {@code karp run} itself.
 *
 * <pre>{@code
 * try (VipFailover failover = VipFailover.builder()
 *         .interfaceName("eth0")
 *         .vhid(7)
 *         .passwordFile(Path.of("/etc/karp/password"))
 *         .vip("10.200.0.100/24")
 *         .advskew(50)
 *         .listener(change -> System.out.println(change.to()))
 *         .build()) {
 *     failover.start();
 *     ...                     // the application runs; the VIP follows the election
 * }                           // close(): a master bows out at once and removes the VIP
 * }</pre>
 *
 * <p>A failover owns one thread for its protocol loop (started by {@link #start()}, or the caller's own in
 * {@link #run()}), one for the listener, and while configured one for the health check and one for scripts. It
 * opens the link (libpcap) and a netlink socket when it starts and closes them when it stops. It needs
 * CAP_NET_RAW and CAP_NET_ADMIN (root). Run one failover per interface and vhid on a host.
 *
 * <p>Thread safety: every method may be called from any thread. A failover runs once: after it stopped,
 * build a new one.
 */
public final class VipFailover implements AutoCloseable {
    private static final Logger LOG = KarpLogging.logger(VipFailover.class);
    /** How long {@link #close()} waits for the loop to bow out and remove the VIP. */
    static final Duration CLOSE_WAIT = Duration.ofMillis(800);
    /** How long a downscript may still run when the failover stops. */
    private static final Duration SCRIPT_DRAIN = Duration.ofMillis(500);

    private final List<GroupConfig> groups;
    private final Optional<HealthCheck> healthCheck;
    private final FailoverListener listener;
    private final Duration scriptTimeout;
    private final int realtimePriority;

    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final BlockingQueue<StateChange> changes = new LinkedBlockingQueue<>();
    private volatile List<InterfaceLoop> loops;
    private volatile boolean closeRequested;
    private volatile List<GroupStatus> lastStatus;
    private volatile FailoverException failure;

    private VipFailover(Builder b, List<GroupConfig> groups) {
        this.groups = List.copyOf(groups);
        this.healthCheck = Optional.ofNullable(b.healthCheck);
        this.listener = b.listener;
        this.scriptTimeout = b.scriptTimeout;
        this.realtimePriority = b.realtimePriority;
    }

    /** The groups' checked configurations, for tests. */
    List<GroupConfig> groupConfigs() {
        return groups;
    }

    /**
     * A builder with UCarp's defaults: advbase 1, advskew 0, deadratio 3, no preemption.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the link and the VIP manager and starts the protocol loop on a thread of its own (one per interface
     * when the groups use several). Returns once the groups run (as BACKUP: every node starts so).
     *
     * @throws FailoverException     if the host refuses what the failover needs (nothing was changed then)
     * @throws IllegalStateException if the failover was started before
     */
    public void start() throws FailoverException {
        Resources r = open();
        Thread t = new Thread(() -> loop(r), "karp-" + threadName());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs the failover on the calling thread until {@link #close()} is called from another thread (or the
     * thread is interrupted), then bows out and returns.
     *
     * @throws FailoverException     if the host refuses what the failover needs, at start or while it runs
     * @throws IllegalStateException if the failover was started before
     */
    public void run() throws FailoverException {
        Resources r = open();
        loop(r);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The status now: per group its state, master, whether its VIPs are on the interface, peers and counters.
     *
     * @return a snapshot; cheap, any thread
     */
    public FailoverStatus status() {
        List<GroupStatus> last = lastStatus;
        if (last != null) {
            return new FailoverStatus(last, false);
        }
        List<InterfaceLoop> running = loops;
        List<GroupStatus> all = new ArrayList<>(groups.size());
        if (running == null) {
            java.time.Instant now = java.time.Instant.now();
            groups.forEach(g -> all.add(Daemon.initialStatus(g, now)));
        } else {
            running.forEach(l -> l.groups().forEach(d -> all.add(d.status())));
        }
        return new FailoverStatus(all, loopResponsive());
    }

    /**
     * True while the protocol loops iterate: a cheap liveness check for a program's own health endpoint.
     *
     * @return false before start, after stop, and while a loop has been stuck for three housekeeping periods
     */
    public boolean loopResponsive() {
        List<InterfaceLoop> running = loops;
        if (running == null || lastStatus != null) {
            return false;
        }
        for (InterfaceLoop l : running) {
            for (Daemon d : l.groups()) {
                if (!d.heartbeat().getAsBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Waits until the failover has stopped.
     *
     * @param timeout how long to wait at most
     * @return true if it stopped
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the failover: a master sends one last advert with advskew 255, so a backup takes over at once,
     * and removes the VIPs. Returns when that is done, within about one second. Idempotent.
     */
    @Override
    public void close() {
        closeRequested = true;
        List<InterfaceLoop> running = loops;
        if (running == null) {
            return;
        }
        running.forEach(InterfaceLoop::requestShutdown);
        try {
            stopped.await(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- running -------------------------------------------------------------------------------

    /** What a running failover opened, closed in reverse order. */
    private record Resources(List<InstanceLock> locks, List<PcapLink> links, List<NetlinkVipManager> vips,
            List<Neighbours> neighbours, ScriptRunner scripts, HealthProbe probe) {

        void close() {
            neighbours.forEach(Neighbours::close);
            vips.forEach(NetlinkVipManager::close);
            links.forEach(PcapLink::close);
            locks.forEach(InstanceLock::close);
        }
    }

    private Resources open() throws FailoverException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this failover was started before; build a new one");
        }
        // Built before the link opens: a bad CA file must change nothing on the host.
        HealthProbe probe = healthCheck.map(h -> HealthProbe.of(h.internal().target())).orElse(null);
        Map<String, List<GroupConfig>> byInterface = byInterface();
        Resources r = new Resources(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ScriptRunner(scriptTimeout), probe);
        List<InterfaceLoop> built = new ArrayList<>();
        try {
            // A second failover of the same group on this host would remove the master's VIP at its start.
            for (GroupConfig g : groups) {
                r.locks().add(InstanceLock.acquire(g.interfaceName(), g.vhid()));
            }
            for (List<GroupConfig> onLink : byInterface.values()) {
                GroupConfig first = onLink.get(0);
                boolean ipv4 = onLink.stream().anyMatch(g -> !g.ipv4Vips().isEmpty());
                // An IPv6-only interface has no IPv4 source to leave out of the capture: 0.0.0.0 is nobody's.
                Inet4Address source4 = onLink.stream().filter(g -> !g.ipv4Vips().isEmpty()).map(GroupConfig::srcip4)
                        .findFirst().orElse(IpAddresses.ipv4(new byte[4]));
                PcapLink.Options options = new PcapLink.Options(first.interfaceName(), source4, first.mcastip(),
                        ipv4 && !first.nomcast());
                Optional<Inet6Address> linkLocal = onLink.stream().map(GroupConfig::srcip6).flatMap(Optional::stream)
                        .findFirst();
                if (linkLocal.isPresent()) {
                    options = options.withIpv6(linkLocal.get());
                }
                // Who answers for the VIPs: address conflicts, a master that does not hold the VIP (issue 16).
                options = options.withVips(onLink.stream().flatMap(g -> g.vips().stream()).map(Cidr::address).toList());
                if (onLink.stream().anyMatch(g -> g.advbase() == 0)) {
                    options = options.withRing(PcapLink.FAST_RING_BYTES);
                }
                PcapLink link = PcapLink.open(options);
                r.links().add(link);
                Neighbours neighbours = null;
                if (onLink.stream().anyMatch(GroupConfig::unicast)) {
                    neighbours = Neighbours.open(first.interfaceName());
                    r.neighbours().add(neighbours);
                }
                NetlinkVipManager opened = NetlinkVipManager.open(first.interfaceName());
                r.vips().add(opened);
                VipManager vips = InterfaceLoop.sharedVips(opened, onLink.size(), System::nanoTime);
                List<Daemon> daemons = new ArrayList<>();
                for (GroupConfig g : onLink) {
                    Daemon d = new Daemon(g, link, vips, g.scripts(r.scripts()), System::nanoTime, Clock.systemUTC(),
                            new SecureRandom(), changes::offer);
                    if (g.unicast()) {
                        d.neighbours(neighbours);
                    }
                    daemons.add(d);
                }
                built.add(new InterfaceLoop(link, daemons, System::nanoTime));
            }
        } catch (InstanceLock.HeldException | LinkException | VipException e) {
            r.close();
            stopped.countDown();
            throw new FailoverException(e.getMessage(), e);
        }
        loops = List.copyOf(built);
        if (closeRequested) {
            loops.forEach(InterfaceLoop::requestShutdown);
        }
        return r;
    }

    /** The groups by interface, in the order configured. */
    private Map<String, List<GroupConfig>> byInterface() {
        Map<String, List<GroupConfig>> m = new LinkedHashMap<>();
        for (GroupConfig g : groups) {
            m.computeIfAbsent(g.interfaceName(), k -> new ArrayList<>()).add(g);
        }
        return m;
    }

    private void loop(Resources r) {
        Thread notifier = startNotifier();
        List<InterfaceLoop> all = loops;
        HealthMonitor monitor = null;
        String reason = "closed";
        List<Thread> others = new ArrayList<>();
        try {
            if (r.probe() != null) {
                dev.karp.config.HealthCheck h = healthCheck.get().internal();
                monitor = new HealthMonitor(r.probe(), h.interval(), h.timeout(), h.fails(), h.rises(),
                        (ok, text) -> all.forEach(l -> l.groups().forEach(d -> d.setHealth(ok, text))));
                monitor.start();
            }
            // One thread per interface: the calling thread runs the first, a thread of its own each other one.
            for (InterfaceLoop l : all.subList(1, all.size())) {
                Thread t = new Thread(() -> runLoop(l), "karp-" + l.groups().get(0).status().interfaceName());
                t.setDaemon(true);
                t.start();
                others.add(t);
            }
            raisePriority();
            all.get(0).run();
            for (Thread t : others) {
                t.join();
            }
        } catch (DaemonException e) {
            failure = new FailoverException(e.getMessage(), e);
            reason = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = new FailoverException("the protocol loop failed: " + e, e);
            reason = failure.getMessage();
            LOG.log(Level.SEVERE, reason, e);
        } finally {
            if (failure != null) {
                // One interface failed (no CAP_NET_ADMIN, say): the others bow out rather than run half a failover.
                all.forEach(InterfaceLoop::requestShutdown);
                for (Thread t : others) {
                    try {
                        t.join(CLOSE_WAIT.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            if (monitor != null) {
                monitor.close();
            }
            r.close();
            List<GroupStatus> last = new ArrayList<>();
            all.forEach(l -> l.groups().forEach(d -> last.add(d.status())));
            lastStatus = List.copyOf(last);
            for (GroupStatus g : last) {
                changes.offer(new StateChange(g.vhid(), g.state() == FailoverState.STOPPED ? FailoverState.BACKUP
                        : g.state(), FailoverState.STOPPED, reason, java.time.Instant.now()));
            }
            changes.offer(END);
            stopped.countDown();
            // The VIPs are gone; a downscript may still run. close() has returned by now, run() waits a little.
            r.scripts().close(SCRIPT_DRAIN);
        }
        try {
            notifier.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLoop(InterfaceLoop l) {
        try {
            raisePriority();
            l.run();
        } catch (DaemonException e) {
            failure = new FailoverException(e.getMessage(), e);
            loops.forEach(InterfaceLoop::requestShutdown);
        } catch (RuntimeException e) {
            failure = new FailoverException("the protocol loop failed: " + e, e);
            LOG.log(Level.SEVERE, failure.getMessage(), e);
            loops.forEach(InterfaceLoop::requestShutdown);
        }
    }

    /** Marks the end of the changes for the notifier; never delivered to the listener. */
    private static final StateChange END = new StateChange(1, FailoverState.STOPPED, FailoverState.STOPPED, "end",
            java.time.Instant.EPOCH);

    /** Delivers state changes to the listener off the protocol loop, in order, until the end. */
    private Thread startNotifier() {
        Thread t = new Thread(() -> {
            while (true) {
                StateChange c;
                try {
                    c = changes.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (c == END) {
                    return;
                }
                if (listener != null) {
                    try {
                        listener.onStateChange(c);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "vhid " + c.vhid() + ": the failover listener threw " + e, e);
                    }
                }
            }
        }, "karp-listener-" + threadName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private String threadName() {
        return groups.size() == 1 ? "vhid-" + groups.get(0).vhid() : groups.size() + "-groups";
    }

    private void raisePriority() {
        if (realtimePriority == 0) {
            return;
        }
        LoopPriority.Outcome o = LoopPriority.raise(realtimePriority);
        if (o.realtime()) {
            LOG.info(o::description);
        } else {
            LOG.warning(o::description);
        }
    }

    /**
     * Collects and checks a failover's settings. Every check happens in {@link #build()}, before anything
     * touches the host; a failure names the property.
     */
    public static final class Builder {
        private HostInterfaces host = new LinuxHostInterfaces();
        private String interfaceName;
        private InetAddress sourceAddress;
        private Integer vhid;
        private byte[] password;
        private Path passwordFile;
        private final List<String> vips = new ArrayList<>();
        private final List<VipGroup> extraGroups = new ArrayList<>();
        private int advbase = 1;
        private int advskew = 0;
        private int deadratio = 3;
        private boolean preempt;
        private boolean neutral;
        private HealthCheck healthCheck;
        private FailoverListener listener;
        private int garpCount = 3;
        private Duration garpInterval = GroupConfig.DEFAULT_GARP_INTERVAL;
        /** Null for automatic (from the group's timing), zero for forever. */
        private Duration vipLifetime;
        private InetAddress multicastGroup = Carp.DEFAULT_GROUP;
        private boolean broadcastAdverts;
        private boolean ignoreLinkState;
        private Path upscript;
        private Path downscript;
        private String scriptArgument;
        private Duration scriptTimeout = Duration.ofSeconds(30);
        private int realtimePriority;
        private Duration garpRefresh;
        private final List<InetAddress> peers = new ArrayList<>();
        private boolean debug;
        private AuthMode auth = AuthMode.UCARP;

        private Builder() {
        }

        /**
         * @param name the interface to run on, e.g. {@code eth0}; default: the one holding the IPv4 default route
         * @return this builder
         */
        public Builder interfaceName(String name) {
            this.interfaceName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param address this node's own IPv4 address on the interface, the adverts' source; default: the
         *                interface's first IPv4 address that is not the VIP
         * @return this builder
         */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param vhid the virtual host id, 1..255, the same on every node of the group (required)
         * @return this builder
         */
        public Builder vhid(int vhid) {
            this.vhid = vhid;
            return this;
        }

        /**
         * @param password the group's shared password, 1..19 bytes as UCarp takes it (this or
         *                 {@link #passwordFile(Path)} is required); copied, never logged
         * @return this builder
         */
        public Builder password(byte[] password) {
            this.password = Objects.requireNonNull(password, "password").clone();
            this.passwordFile = null;
            return this;
        }

        /**
         * @param file a file whose first line is the password (only the newline is removed, as in UCarp); read
         *             by {@link #build()}
         * @return this builder
         */
        public Builder passwordFile(Path file) {
            this.passwordFile = Objects.requireNonNull(file, "file");
            this.password = null;
            return this;
        }

        /**
         * Adds a VIP of the group this builder describes; call once per address (all of a group's VIPs move
         * together). Required unless the failover runs only {@link #group(VipGroup) added groups}.
         *
         * @param cidr a virtual IPv4 or IPv6 address, e.g. {@code 10.200.0.100/24} or {@code fd00:200::100/64};
         *             without a prefix, the prefix of the interface's subnet that holds it, else /32 or /128
         * @return this builder
         */
        public Builder vip(String cidr) {
            vips.add(Objects.requireNonNull(cidr, "cidr"));
            return this;
        }

        /**
         * Adds a group of its own vhid and VIPs; what it leaves unset comes from this builder. With groups added,
         * {@link #vhid(int)} and {@link #vip(String)} on this builder are optional: when given, they make one more
         * group, the first.
         *
         * @param group another group, with a vhid no other group on its interface has
         * @return this builder
         */
        public Builder group(VipGroup group) {
            extraGroups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * @param seconds the advert interval's base, 0..255 (default 1); 0 gives sub-second intervals of
         *                advskew/256 s and needs advskew 1..255
         * @return this builder
         */
        public Builder advbase(int seconds) {
            this.advbase = seconds;
            return this;
        }

        /**
         * @param skew 0..255, added to the interval in 1/256 s: the node with the shortest interval is the
         *             preferred master (default 0)
         * @return this builder
         */
        public Builder advskew(int skew) {
            this.advskew = skew;
            return this;
        }

        /**
         * @param ratio missed advert intervals before a backup takes over, 1..255 (default 3)
         * @return this builder
         */
        public Builder deadratio(int ratio) {
            this.deadratio = ratio;
            return this;
        }

        /**
         * @param preempt take over from a less preferred master (default false: a running master keeps the VIP)
         * @return this builder
         */
        public Builder preempt(boolean preempt) {
            this.preempt = preempt;
            return this;
        }

        /**
         * @param neutral leave a VIP found on the interface at start alone until a master is heard, and run no
         *                downscript at start (default false: a VIP left by a crash is removed at once)
         * @return this builder
         */
        public Builder neutral(boolean neutral) {
            this.neutral = neutral;
            return this;
        }

        /**
         * @param check demotes this node while it fails (default: none)
         * @return this builder
         */
        public Builder healthCheck(HealthCheck check) {
            this.healthCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * @param listener told of every state change, on a thread of karp's (default: none)
         * @return this builder
         */
        public Builder listener(FailoverListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param count announcements of the VIPs on each takeover (a gratuitous ARP per IPv4 VIP, an unsolicited
         *              neighbour advertisement per IPv6 one), spaced by {@link #garpInterval}, 1..10 (default 3;
         *              UCarp sends 1)
         * @return this builder
         */
        public Builder garpCount(int count) {
            this.garpCount = count;
            return this;
        }

        /**
         * @param interval the spacing of a takeover's {@link #garpCount} announcements, 0..1 min; zero sends them all
         *                 at once (default 1 s)
         * @return this builder
         */
        public Builder garpInterval(Duration interval) {
            this.garpInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * @param lifetime the valid and preferred lifetime the VIPs get while this node is master, renewed as it
         *                 advertises, so that the kernel removes them from a master that was killed or frozen; at
         *                 least the advert interval + 1 s and at most 1 h, or {@link Duration#ZERO} for forever, as
         *                 UCarp (default: a backup's master-down interval less 1 s, see docs/protocol.md)
         * @return this builder
         */
        public Builder vipLifetime(Duration lifetime) {
            this.vipLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /**
         * @param group the IPv4 multicast group of the adverts (default 224.0.0.18, CARP's)
         * @return this builder
         */
        public Builder multicastGroup(InetAddress group) {
            this.multicastGroup = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * @param broadcast send adverts to the Ethernet broadcast address and join no group (UCarp's
         *                  {@code --nomcast}; default false)
         * @return this builder
         */
        public Builder broadcastAdverts(boolean broadcast) {
            this.broadcastAdverts = broadcast;
            return this;
        }

        /**
         * @param ignore do not watch the interface's carrier (UCarp's {@code --ignoreifstate}; default false)
         * @return this builder
         */
        public Builder ignoreLinkState(boolean ignore) {
            this.ignoreLinkState = ignore;
            return this;
        }

        /**
         * @param script run as {@code script INTERFACE VIP [ARGUMENT]} on becoming MASTER, after the VIP was added
         * @return this builder
         */
        public Builder upscript(Path script) {
            this.upscript = Objects.requireNonNull(script, "script");
            return this;
        }

        /**
         * @param script run as {@code script INTERFACE VIP [ARGUMENT]} on becoming BACKUP, after the VIP was removed
         * @return this builder
         */
        public Builder downscript(Path script) {
            this.downscript = Objects.requireNonNull(script, "script");
            return this;
        }

        /**
         * @param argument passed to the scripts as their third argument (UCarp's {@code --xparam})
         * @return this builder
         */
        public Builder scriptArgument(String argument) {
            this.scriptArgument = Objects.requireNonNull(argument, "argument");
            return this;
        }

        /**
         * Adds a node of a unicast group; call once per node, this one included, so that every node can be given
         * the same list. With peers, adverts go to each other peer's own address instead of the multicast group,
         * and only adverts from listed peers count: for networks that drop multicast.
         *
         * @param address a node's IPv4 (or, for IPv6 VIPs, IPv6) address on the group's interface
         * @return this builder
         */
        public Builder peer(InetAddress address) {
            peers.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * @param interval announce the VIPs again (gratuitous ARP, unsolicited neighbour advertisement) this often
         *                 while MASTER, 1 s..1 h; for switches whose MAC tables forget the VIP's port before the
         *                 hosts' ARP caches expire (default: only on taking over)
         * @return this builder
         */
        public Builder garpRefresh(Duration interval) {
            this.garpRefresh = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * @param timeout a script still running after this is killed, 1 s..1 h (default 30 s)
         * @return this builder
         */
        public Builder scriptTimeout(Duration timeout) {
            this.scriptTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param priority SCHED_RR priority of the protocol loop's thread, 1..99, or 0 for none (default 0); needs
         *                 CAP_SYS_NICE, else nice -10 or nothing is tried and a warning logged
         * @return this builder
         */
        public Builder realtimePriority(int priority) {
            this.realtimePriority = priority;
            return this;
        }

        /**
         * @param debug log every advert and every dropped frame at FINE (default false)
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * @param mode how adverts are authenticated (default {@link AuthMode#UCARP}, byte-compatible with UCarp);
         *             {@link AuthMode#STRICT} covers advbase, advskew and the source and rejects replays, and
         *             {@link AuthMode#MIGRATE} moves a running group there without two masters (docs/operations.md)
         * @return this builder
         */
        public Builder auth(AuthMode mode) {
            this.auth = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Replaces the host's interfaces, for tests. */
        Builder host(HostInterfaces value) {
            this.host = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * Checks every property and resolves the defaults that depend on the host (interface, source address,
         * VIP prefix). Reads the password file. Changes nothing on the host.
         *
         * @return a failover, not started
         * @throws FailoverConfigException naming the first property that is missing or invalid
         */
        public VipFailover build() {
            range("advbase", advbase, 0, 255);
            range("advskew", advskew, 0, 255);
            range("deadratio", deadratio, 1, 255);
            range("garpCount", garpCount, 1, 10);
            if (garpInterval.isNegative() || garpInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new FailoverConfigException("garpInterval", "garpInterval " + Durations.format(garpInterval)
                        + " is out of range (expected: 0s..1m)");
            }
            if (vipLifetime != null && !vipLifetime.isZero() && (vipLifetime.compareTo(Duration.ofSeconds(1)) < 0
                    || vipLifetime.compareTo(VipLifetime.MAX) > 0)) {
                throw new FailoverConfigException("vipLifetime", "vipLifetime " + Durations.format(vipLifetime)
                        + " is out of range (expected: 1s..1h, or off)");
            }
            range("realtimePriority", realtimePriority, 0, 99);
            if (!(multicastGroup instanceof Inet4Address mcast) || !mcast.isMulticastAddress()) {
                throw new FailoverConfigException("multicastGroup", "multicastGroup "
                        + multicastGroup.getHostAddress() + " is not an IPv4 multicast address");
            }
            if (scriptTimeout.compareTo(Duration.ofSeconds(1)) < 0 || scriptTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new FailoverConfigException("scriptTimeout", "scriptTimeout " + scriptTimeout
                        + " is out of range (expected: 1s..1h)");
            }
            if (garpRefresh != null && (garpRefresh.compareTo(Duration.ofSeconds(1)) < 0
                    || garpRefresh.compareTo(Duration.ofHours(1)) > 0)) {
                throw new FailoverConfigException("garpRefresh", "garpRefresh " + garpRefresh
                        + " is out of range (expected: 1s..1h)");
            }
            List<GroupConfig> built = new ArrayList<>();
            if (vhid != null || !vips.isEmpty() || extraGroups.isEmpty()) {
                if (vhid == null) {
                    throw new FailoverConfigException("vhid", "vhid is required (1..255, the same on every node)");
                }
                range("vhid", vhid, 1, 255);
                if (vips.isEmpty()) {
                    throw new FailoverConfigException("vip", "vip is required, e.g. 10.200.0.100/24");
                }
                built.add(group("", vhid, vips, advbase, advskew, preempt, interfaceName, sourceAddress, password(),
                        upscript, downscript, scriptArgument));
            }
            for (VipGroup g : extraGroups) {
                String where = "vhid " + g.vhid() + ": ";
                range("vhid", g.vhid(), 1, 255);
                CarpPassword pw = g.password().isPresent() || g.passwordFile().isPresent()
                        ? password(g.password().orElse(null), g.passwordFile().orElse(null)) : password();
                built.add(group(where, g.vhid(), g.vips(), g.advbase().orElse(advbase), g.advskew().orElse(advskew),
                        g.preempt().orElse(preempt), g.interfaceName().orElse(interfaceName),
                        g.sourceAddress().orElse(sourceAddress), pw, g.upscript().orElse(upscript),
                        g.downscript().orElse(downscript), g.scriptArgument().orElse(scriptArgument)));
            }
            checkDistinct(built);
            return new VipFailover(this, built);
        }

        /** One group's configuration; {@code where} prefixes messages about an added group. */
        private GroupConfig group(String where, int id, List<String> texts, int base, int skew, boolean pre,
                String ifName, InetAddress source, CarpPassword pw, Path up, Path down, String argument) {
            range(where, "advbase", base, 0, 255);
            range(where, "advskew", skew, 0, 255);
            if (base == 0 && skew == 0) {
                throw new FailoverConfigException("advbase", where + "advbase 0 needs advskew 1..255 (with both 0 the"
                        + " advert interval would be zero)");
            }
            HostInterface iface = hostInterface(ifName);
            List<Cidr> addresses = new ArrayList<>();
            for (String text : texts) {
                Cidr c = vipAddress(where, text, iface);
                if (addresses.stream().anyMatch(c::sameAddress)) {
                    throw new FailoverConfigException("vip", where + "vip " + text + " is given twice");
                }
                addresses.add(c);
            }
            Optional<Inet4Address> firstV4 = addresses.stream().filter(Cidr::isIpv4).map(Cidr::ipv4).findFirst();
            Optional<Inet6Address> linkLocal = addresses.stream().allMatch(Cidr::isIpv4) ? Optional.empty()
                    : Optional.of(linkLocal(where, iface));
            InetAddress src;
            if (firstV4.isPresent()) {
                Inet4Address v4 = source(where, iface, source, addresses);
                src = v4;
            } else {
                src = linkLocal.get();
            }
            Optional<Inet6Address> source6 = checkPeers(where, iface, src, addresses);
            return new GroupConfig(iface.name(), src, linkLocal, id, pw, addresses, base, skew, deadratio, pre,
                    neutral, ignoreLinkState, broadcastAdverts, (Inet4Address) multicastGroup, debug, garpCount,
                    Optional.ofNullable(up), Optional.ofNullable(down), Optional.ofNullable(argument),
                    Optional.ofNullable(garpRefresh), peers, source6, garpInterval, lifetime(where, base, skew), auth);
        }

        /** The group's VIP lifetime: automatic from its timing, the one given, or none. */
        private Optional<Duration> lifetime(String where, int base, int skew) {
            if (vipLifetime == null) {
                return Optional.of(VipLifetime.auto(base, skew, deadratio));
            }
            if (vipLifetime.isZero()) {
                return Optional.empty();
            }
            Duration min = VipLifetime.minimum(base, skew);
            if (vipLifetime.compareTo(min) < 0) {
                throw new FailoverConfigException("vipLifetime", where + "vipLifetime " + Durations.format(vipLifetime)
                        + " is too short for advbase " + base + " advskew " + skew + ": a master renews it at each"
                        + " advert (expected: " + Durations.format(min) + " or more, or off)");
            }
            return Optional.of(vipLifetime);
        }

        /**
         * The rules that keep a unicast group from splitting: this node is in the list, someone else is too, for
         * every family the group advertises in. Returns this node's listed IPv6 address (its IPv6 adverts' source).
         */
        private Optional<Inet6Address> checkPeers(String where, HostInterface iface, InetAddress src, List<Cidr> vips) {
            if (peers.isEmpty()) {
                return Optional.empty();
            }
            List<InetAddress> own = new ArrayList<>();
            iface.addresses().forEach(c -> own.add(c.address()));
            iface.ipv6Addresses().forEach(c -> own.add(c.address()));
            Set<InetAddress> seen = new HashSet<>();
            for (InetAddress p : peers) {
                if (p.isMulticastAddress() || p.isAnyLocalAddress() || p.isLoopbackAddress() || p.isLinkLocalAddress()) {
                    throw new FailoverConfigException("peers", "peer " + IpAddresses.format(p) + " is not a unicast"
                            + " address of the link; list each node's own address");
                }
                if (!seen.add(p)) {
                    throw new FailoverConfigException("peers", "peer " + IpAddresses.format(p) + " is listed twice");
                }
            }
            boolean v4 = vips.stream().anyMatch(Cidr::isIpv4);
            boolean v6 = vips.stream().anyMatch(c -> !c.isIpv4());
            for (InetAddress p : peers) {
                boolean pv4 = p instanceof Inet4Address;
                if (pv4 ? !v4 : !v6) {
                    throw new FailoverConfigException("peers", where + "peer " + IpAddresses.format(p) + " is "
                            + (pv4 ? "IPv4" : "IPv6") + ", but the group has no " + (pv4 ? "IPv4" : "IPv6")
                            + " VIP to advertise to it");
                }
            }
            Optional<Inet6Address> source6 = Optional.empty();
            for (boolean family4 : new boolean[] {true, false}) {
                if (family4 ? !v4 : !v6) {
                    continue;
                }
                String name = family4 ? "IPv4" : "IPv6";
                List<InetAddress> ofFamily = peers.stream().filter(p -> (p instanceof Inet4Address) == family4).toList();
                List<InetAddress> mine = ofFamily.stream().filter(own::contains).toList();
                List<InetAddress> ownOfFamily = own.stream().filter(a -> (a instanceof Inet4Address) == family4
                        && !a.isLinkLocalAddress() && vips.stream().noneMatch(v -> v.address().equals(a))).toList();
                InetAddress suggest = family4 ? src : ownOfFamily.isEmpty() ? null : ownOfFamily.get(0);
                if (mine.isEmpty() || family4 && !mine.contains(src)) {
                    throw new FailoverConfigException("peers", where + "peers lists no " + name + " address of this"
                            + " node; add " + (suggest == null ? "this node's " + name + " address on " + iface.name()
                            : IpAddresses.format(suggest)) + " (every node gets the same list, its own address included)");
                }
                if (ofFamily.size() == mine.size()) {
                    throw new FailoverConfigException("peers", where + "peers lists no other node's " + name
                            + " address; add the other nodes' addresses (alone, this node would take the VIP while the"
                            + " others cannot hear it)");
                }
                if (!family4) {
                    source6 = Optional.of((Inet6Address) mine.get(0));
                }
            }
            return source6;
        }

        /** No vhid twice on one interface, no VIP in two groups, one source address per interface. */
        private static void checkDistinct(List<GroupConfig> all) {
            for (int i = 0; i < all.size(); i++) {
                GroupConfig a = all.get(i);
                for (GroupConfig b : all.subList(0, i)) {
                    if (a.interfaceName().equals(b.interfaceName()) && a.vhid() == b.vhid()) {
                        throw new FailoverConfigException("vhid", "vhid " + a.vhid() + " is configured twice on "
                                + a.interfaceName() + "; give every group its own vhid");
                    }
                    for (Cidr v : a.vips()) {
                        if (b.vips().stream().anyMatch(v::sameAddress)) {
                            throw new FailoverConfigException("vip", "vip " + v.address().getHostAddress()
                                    + " is in vhid " + b.vhid() + " and vhid " + a.vhid() + "; a VIP belongs to one group");
                        }
                    }
                    if (a.interfaceName().equals(b.interfaceName()) && a.srcip() instanceof Inet4Address
                            && b.srcip() instanceof Inet4Address && !a.srcip().equals(b.srcip())) {
                        throw new FailoverConfigException("sourceAddress", "vhid " + a.vhid() + " and vhid "
                                + b.vhid() + " use different source addresses on " + a.interfaceName() + " ("
                                + b.srcip().getHostAddress() + ", " + a.srcip().getHostAddress()
                                + "); groups on one interface share one");
                    }
                }
            }
        }

        private static void range(String property, int value, int min, int max) {
            range("", property, value, min, max);
        }

        private static void range(String where, String property, int value, int min, int max) {
            if (value < min || value > max) {
                throw new FailoverConfigException(property, where + property + " " + value
                        + " is out of range (expected: " + min + ".." + max + ")");
            }
        }

        private CarpPassword password() {
            return password(password, passwordFile);
        }

        private static CarpPassword password(byte[] value, Path passwordFile) {
            byte[] bytes = value;
            if (bytes == null && passwordFile != null) {
                try {
                    // As karp run reads it: a FIFO would block build() and a device never end.
                    bytes = CarpPassword.passfileLine(RegularFiles.read(passwordFile, CarpPassword.MAX_PASSFILE_BYTES));
                } catch (RegularFiles.RefusedException e) {
                    throw new FailoverConfigException("passwordFile", "passwordFile " + passwordFile + " "
                            + e.getMessage());
                } catch (IOException e) {
                    throw new FailoverConfigException("passwordFile", "passwordFile " + passwordFile
                            + " cannot be read: " + RegularFiles.reason(e));
                }
            }
            if (bytes == null) {
                throw new FailoverConfigException("password", "password is required: give password(bytes) or"
                        + " passwordFile(path)");
            }
            if (bytes.length < 1 || bytes.length > Carp.MAX_PASSWORD_BYTES) {
                throw new FailoverConfigException("password", "password is " + bytes.length + " bytes long (expected:"
                        + " 1.." + Carp.MAX_PASSWORD_BYTES + ", UCarp's limit)");
            }
            return CarpPassword.ofBytes(bytes);
        }

        private HostInterface hostInterface(String interfaceName) {
            List<HostInterface> all = host.list();
            String available = all.isEmpty() ? "none"
                    : all.stream().map(HostInterface::name).collect(Collectors.joining(", "));
            if (interfaceName != null) {
                return host.find(interfaceName).orElseThrow(() -> new FailoverConfigException("interfaceName",
                        "interfaceName " + interfaceName + " not found (available: " + available + ")"));
            }
            String name = host.defaultRouteInterface().orElseThrow(() -> new FailoverConfigException("interfaceName",
                    "interfaceName is required: no interface holds the default route (available: " + available + ")"));
            return host.find(name).orElseThrow(() -> new FailoverConfigException("interfaceName",
                    "interfaceName: the default route's interface " + name + " has no IPv4 address"));
        }

        private static Cidr vipAddress(String where, String vip, HostInterface iface) {
            int slash = vip.indexOf('/');
            String head = slash < 0 ? vip : vip.substring(0, slash);
            Optional<InetAddress> parsed = IpAddresses.isLiteral(head) ? IpAddresses.parse(head) : Optional.empty();
            if (parsed.isEmpty()) {
                throw new FailoverConfigException("vip", where + "vip " + vip + " is not an IPv4 or IPv6 address with"
                        + " an optional prefix (expected e.g. 10.200.0.100/24 or fd00:200::100/64)");
            }
            InetAddress address = parsed.get();
            int max = address instanceof Inet4Address ? 32 : 128;
            if (address.isLinkLocalAddress() || address.isMulticastAddress() || address.isAnyLocalAddress()
                    || address.isLoopbackAddress()) {
                throw new FailoverConfigException("vip", where + "vip " + vip + " is a link-local, multicast,"
                        + " loopback or unspecified address; use a unicast address of the interface's subnet");
            }
            if (slash >= 0) {
                String p = vip.substring(slash + 1);
                if (!p.matches("[1-9][0-9]{0,2}") || Integer.parseInt(p) > max) {
                    throw new FailoverConfigException("vip", where + "vip " + vip + " has an invalid prefix (expected: /1../"
                            + max + ")");
                }
                return Cidr.of(address, Integer.parseInt(p));
            }
            List<Cidr> all = new ArrayList<>(iface.addresses());
            all.addAll(iface.ipv6Addresses());
            return Cidr.of(address, Cidr.defaultPrefix(address, all));
        }

        /** The interface's IPv6 link-local address: the source of IPv6 adverts and neighbour advertisements. */
        private Inet6Address linkLocal(String where, HostInterface iface) {
            return iface.linkLocal().orElseThrow(() -> new FailoverConfigException("vip", where
                    + "IPv6 VIPs need an IPv6 link-local address on " + iface.name() + ", and it has none; enable IPv6"
                    + " there (sysctl net.ipv6.conf." + iface.name() + ".disable_ipv6=0)"));
        }

        private static Inet4Address source(String where, HostInterface iface, InetAddress sourceAddress,
                List<Cidr> vips) {
            if (sourceAddress != null) {
                if (!(sourceAddress instanceof Inet4Address v4)) {
                    throw new FailoverConfigException("sourceAddress", where + "sourceAddress "
                            + sourceAddress.getHostAddress() + " is not an IPv4 address");
                }
                if (vips.stream().anyMatch(v -> v.address().equals(v4))) {
                    throw new FailoverConfigException("sourceAddress", where + "sourceAddress " + v4.getHostAddress()
                            + " is the VIP; use this node's own address (the VIP moves between nodes)");
                }
                boolean local = iface.addresses().stream().anyMatch(a -> a.address().equals(v4));
                if (!local) {
                    throw new FailoverConfigException("sourceAddress", "sourceAddress " + v4.getHostAddress()
                            + " is not an address of " + iface.name());
                }
                return v4;
            }
            return iface.addresses().stream().filter(Cidr::isIpv4).map(Cidr::ipv4)
                    .filter(a -> vips.stream().noneMatch(v -> v.address().equals(a))).findFirst()
                    .orElseThrow(() -> new FailoverConfigException("sourceAddress", "sourceAddress: " + iface.name()
                            + " has no IPv4 address other than the VIP; add one or choose another interfaceName"));
        }
    }
}
