package dev.karp;

import dev.karp.carp.Carp;
import dev.karp.carp.CarpPassword;
import dev.karp.config.HostInterface;
import dev.karp.config.HostInterfaces;
import dev.karp.config.LinuxHostInterfaces;
import dev.karp.daemon.Daemon;
import dev.karp.files.RegularFiles;
import dev.karp.daemon.DaemonException;
import dev.karp.daemon.GroupConfig;
import dev.karp.daemon.LoopPriority;
import dev.karp.health.HealthMonitor;
import dev.karp.health.HealthProbe;
import dev.karp.link.LinkException;
import dev.karp.log.KarpLogging;
import dev.karp.link.PcapLink;
import dev.karp.net.Cidr;
import dev.karp.net.IpAddresses;
import dev.karp.scripts.ScriptRunner;
import dev.karp.vip.InstanceLock;
import dev.karp.vip.NetlinkVipManager;
import dev.karp.vip.VipException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    private final GroupConfig group;
    private final Optional<HealthCheck> healthCheck;
    private final FailoverListener listener;
    private final Duration scriptTimeout;
    private final int realtimePriority;

    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final BlockingQueue<StateChange> changes = new LinkedBlockingQueue<>();
    private volatile Daemon daemon;
    private volatile boolean closeRequested;
    private volatile GroupStatus lastStatus;
    private volatile FailoverException failure;

    private VipFailover(Builder b, GroupConfig group) {
        this.group = group;
        this.healthCheck = Optional.ofNullable(b.healthCheck);
        this.listener = b.listener;
        this.scriptTimeout = b.scriptTimeout;
        this.realtimePriority = b.realtimePriority;
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
     * Opens the link and the VIP manager and starts the protocol loop on a thread of its own. Returns once the
     * group runs (as BACKUP: every node starts so).
     *
     * @throws FailoverException     if the host refuses what the failover needs (nothing was changed then)
     * @throws IllegalStateException if the failover was started before
     */
    public void start() throws FailoverException {
        Resources r = open();
        Thread loop = new Thread(() -> loop(r), "karp-vhid-" + group.vhid());
        loop.setDaemon(true);
        loop.start();
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
     * The status now: state, master, whether the VIP is on the interface, peers and counters.
     *
     * @return a snapshot; cheap, any thread
     */
    public FailoverStatus status() {
        Daemon d = daemon;
        GroupStatus g = lastStatus != null ? lastStatus : d != null ? d.status() : Daemon.initialStatus(group,
                java.time.Instant.now());
        return new FailoverStatus(List.of(g), loopResponsive());
    }

    /**
     * True while the protocol loop iterates: a cheap liveness check for a program's own health endpoint.
     *
     * @return false before start, after stop, and while the loop has been stuck for three housekeeping periods
     */
    public boolean loopResponsive() {
        Daemon d = daemon;
        return d != null && lastStatus == null && d.heartbeat().getAsBoolean();
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
     * and removes the VIP. Returns when that is done, within about one second. Idempotent.
     */
    @Override
    public void close() {
        closeRequested = true;
        Daemon d = daemon;
        if (d == null) {
            return;
        }
        d.requestShutdown();
        try {
            stopped.await(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- running -------------------------------------------------------------------------------

    /** What a running failover opened, closed in reverse order. */
    private record Resources(InstanceLock lock, PcapLink link, NetlinkVipManager vips, ScriptRunner scripts,
            HealthProbe probe) {
    }

    private Resources open() throws FailoverException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this failover was started before; build a new one");
        }
        // Built before the link opens: a bad CA file must change nothing on the host.
        HealthProbe probe = healthCheck.map(h -> HealthProbe.of(h.internal().target())).orElse(null);
        InstanceLock lock = null;
        PcapLink link = null;
        NetlinkVipManager vips = null;
        try {
            // A second failover of the same group on this host would remove the master's VIP at its start.
            lock = InstanceLock.acquire(group.interfaceName(), group.vhid());
            link = PcapLink.open(new PcapLink.Options(group.interfaceName(), group.srcip(), group.mcastip(),
                    !group.nomcast()));
            vips = NetlinkVipManager.open(group.interfaceName());
        } catch (InstanceLock.HeldException | LinkException | VipException e) {
            if (link != null) {
                link.close();
            }
            if (lock != null) {
                lock.close();
            }
            stopped.countDown();
            throw new FailoverException(e.getMessage(), e);
        }
        ScriptRunner runner = new ScriptRunner(scriptTimeout);
        daemon = new Daemon(group, link, vips, group.scripts(runner), System::nanoTime, Clock.systemUTC(),
                new SecureRandom(), changes::offer);
        if (closeRequested) {
            daemon.requestShutdown();
        }
        return new Resources(lock, link, vips, runner, probe);
    }

    private void loop(Resources r) {
        Thread notifier = startNotifier();
        Daemon d = daemon;
        HealthMonitor monitor = null;
        String reason = "closed";
        try {
            if (r.probe() != null) {
                dev.karp.config.HealthCheck h = healthCheck.get().internal();
                monitor = new HealthMonitor(r.probe(), h.interval(), h.timeout(), h.fails(), h.rises(), d::setHealth);
                monitor.start();
            }
            raisePriority();
            d.run();
        } catch (DaemonException e) {
            failure = new FailoverException(e.getMessage(), e);
            reason = e.getMessage();
        } catch (RuntimeException e) {
            failure = new FailoverException("vhid " + group.vhid() + ": the protocol loop failed: " + e, e);
            reason = failure.getMessage();
            LOG.log(Level.SEVERE, reason, e);
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            r.vips().close();
            r.link().close();
            r.lock().close();
            GroupStatus last = d.status();
            lastStatus = last;
            changes.offer(new StateChange(group.vhid(), last.state() == FailoverState.STOPPED ? FailoverState.BACKUP
                    : last.state(), FailoverState.STOPPED, reason, java.time.Instant.now()));
            stopped.countDown();
            // The VIP is gone; a downscript may still run. close() has returned by now, run() waits a little.
            r.scripts().close(SCRIPT_DRAIN);
        }
        try {
            notifier.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers state changes to the listener off the protocol loop, in order, until STOPPED. */
    private Thread startNotifier() {
        Thread t = new Thread(() -> {
            while (true) {
                StateChange c;
                try {
                    c = changes.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (listener != null) {
                    try {
                        listener.onStateChange(c);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "vhid " + group.vhid() + ": the failover listener threw " + e, e);
                    }
                }
                if (c.to() == FailoverState.STOPPED) {
                    return;
                }
            }
        }, "karp-listener-" + group.vhid());
        t.setDaemon(true);
        t.start();
        return t;
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
        private String vip;
        private int advbase = 1;
        private int advskew = 0;
        private int deadratio = 3;
        private boolean preempt;
        private boolean neutral;
        private HealthCheck healthCheck;
        private FailoverListener listener;
        private int garpCount = 1;
        private InetAddress multicastGroup = Carp.DEFAULT_GROUP;
        private boolean broadcastAdverts;
        private boolean ignoreLinkState;
        private Path upscript;
        private Path downscript;
        private String scriptArgument;
        private Duration scriptTimeout = Duration.ofSeconds(30);
        private int realtimePriority;
        private boolean debug;

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
         * @param cidr the virtual IPv4 address, e.g. {@code 10.200.0.100/24}; without a prefix, the prefix of the
         *             interface's subnet that holds it, else /32 (required)
         * @return this builder
         */
        public Builder vip(String cidr) {
            this.vip = Objects.requireNonNull(cidr, "cidr");
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
         * @param count gratuitous ARP frames sent on each takeover, 1..10 (default 1, as UCarp)
         * @return this builder
         */
        public Builder garpCount(int count) {
            this.garpCount = count;
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
            if (vhid == null) {
                throw new FailoverConfigException("vhid", "vhid is required (1..255, the same on every node)");
            }
            range("vhid", vhid, 1, 255);
            range("advbase", advbase, 0, 255);
            range("advskew", advskew, 0, 255);
            range("deadratio", deadratio, 1, 255);
            range("garpCount", garpCount, 1, 10);
            range("realtimePriority", realtimePriority, 0, 99);
            if (advbase == 0 && advskew == 0) {
                throw new FailoverConfigException("advbase", "advbase 0 needs advskew 1..255 (with both 0 the advert"
                        + " interval would be zero)");
            }
            if (!(multicastGroup instanceof Inet4Address group) || !group.isMulticastAddress()) {
                throw new FailoverConfigException("multicastGroup", "multicastGroup "
                        + multicastGroup.getHostAddress() + " is not an IPv4 multicast address");
            }
            if (scriptTimeout.compareTo(Duration.ofSeconds(1)) < 0 || scriptTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new FailoverConfigException("scriptTimeout", "scriptTimeout " + scriptTimeout
                        + " is out of range (expected: 1s..1h)");
            }
            CarpPassword pw = password();
            if (vip == null) {
                throw new FailoverConfigException("vip", "vip is required, e.g. 10.200.0.100/24");
            }
            HostInterface iface = hostInterface();
            Cidr address = vipAddress(iface);
            Inet4Address src = source(iface, address.ipv4());
            if (src.equals(address.ipv4())) {
                throw new FailoverConfigException("sourceAddress", "sourceAddress " + src.getHostAddress()
                        + " is the VIP; use this node's own address (the VIP moves between nodes)");
            }
            GroupConfig g = new GroupConfig(iface.name(), src, vhid, pw, address, advbase, advskew, deadratio, preempt,
                    neutral, ignoreLinkState, broadcastAdverts, group, debug, garpCount, Optional.ofNullable(upscript),
                    Optional.ofNullable(downscript), Optional.ofNullable(scriptArgument));
            return new VipFailover(this, g);
        }

        private static void range(String property, int value, int min, int max) {
            if (value < min || value > max) {
                throw new FailoverConfigException(property, property + " " + value + " is out of range (expected: "
                        + min + ".." + max + ")");
            }
        }

        private CarpPassword password() {
            byte[] bytes = password;
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

        private HostInterface hostInterface() {
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

        private Cidr vipAddress(HostInterface iface) {
            int slash = vip.indexOf('/');
            Inet4Address address;
            try {
                address = IpAddresses.parseIpv4(slash < 0 ? vip : vip.substring(0, slash));
            } catch (IllegalArgumentException e) {
                throw new FailoverConfigException("vip", "vip " + vip + " is not an IPv4 address with an optional"
                        + " prefix (expected e.g. 10.200.0.100/24)");
            }
            if (slash >= 0) {
                String p = vip.substring(slash + 1);
                if (!p.matches("[1-9][0-9]?") || Integer.parseInt(p) > 32) {
                    throw new FailoverConfigException("vip", "vip " + vip + " has an invalid prefix (expected: /1../32)");
                }
                return Cidr.of(address, Integer.parseInt(p));
            }
            return Cidr.of(address, Cidr.defaultPrefix(address, iface.addresses()));
        }

        private Inet4Address source(HostInterface iface, Inet4Address vipAddress) {
            if (sourceAddress != null) {
                if (!(sourceAddress instanceof Inet4Address v4)) {
                    throw new FailoverConfigException("sourceAddress", "sourceAddress "
                            + sourceAddress.getHostAddress() + " is not an IPv4 address");
                }
                boolean local = iface.addresses().stream().anyMatch(a -> a.address().equals(v4));
                if (!local) {
                    throw new FailoverConfigException("sourceAddress", "sourceAddress " + v4.getHostAddress()
                            + " is not an address of " + iface.name());
                }
                return v4;
            }
            return iface.addresses().stream().filter(Cidr::isIpv4).map(Cidr::ipv4).filter(a -> !a.equals(vipAddress)).findFirst()
                    .orElseThrow(() -> new FailoverConfigException("sourceAddress", "sourceAddress: " + iface.name()
                            + " has no IPv4 address other than the VIP; add one or choose another interfaceName"));
        }
    }
}
