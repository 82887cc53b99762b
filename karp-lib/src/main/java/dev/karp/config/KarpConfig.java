package dev.karp.config;

import dev.karp.carp.AuthMode;
import dev.karp.carp.CarpPassword;
import dev.karp.net.IpAddresses;
import dev.karp.time.Durations;
import dev.karp.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration of {@code karp run}, checked once when it is built. {@link ConfigLoader}
 * builds it from flags, environment and file; tests and the lab can build one with {@link #builder()}.
 * Printing it is safe: the password shows as a mask.
 *
 * @param interfaceName  the interface to run CARP on ({@code --interface})
 * @param srcip          this node's IPv4 address, the IP source of IPv4 adverts ({@code --srcip}); empty when
 *                       every VIP is IPv6 (IPv6 adverts leave from the interface's link-local address)
 * @param vhid           1..255 ({@code --vhid})
 * @param password       1..19 bytes ({@code --pass}, {@code --password-file})
 * @param vips           the virtual addresses with the prefixes they are added with ({@code --vip} repeated,
 *                       {@code --addr}); empty only when {@code groups} are given
 * @param advbase        0..255 seconds ({@code --advbase})
 * @param advskew        0..255 ({@code --advskew})
 * @param deadratio      1..255 ({@code --deadratio})
 * @param preempt        take over from a less preferred master ({@code --preempt})
 * @param neutral        do not run the downscript when starting as BACKUP ({@code --neutral})
 * @param upscript       run on becoming MASTER ({@code --upscript})
 * @param downscript     run on becoming BACKUP ({@code --downscript})
 * @param xparam         passed to scripts as {@code $3} ({@code --xparam})
 * @param shutdown       UCarp's {@code --shutdown}; karp always cleans up on SIGTERM, so this changes nothing
 * @param ignoreifstate  do not watch the interface's carrier ({@code --ignoreifstate})
 * @param nomcast        broadcast MAC, no multicast join ({@code --nomcast})
 * @param mcastip        the advert destination ({@code --mcastip}, default 224.0.0.18)
 * @param debug          debug log lines ({@code --debug})
 * @param statusAddress  where the status endpoint listens; empty when {@code --status-addr off}
 * @param garpCount      announcements of the VIPs per takeover, {@code garpInterval} apart ({@code --garp-count},
 *                       1..10)
 * @param scriptTimeout  an up/down script is killed after this ({@code --script-timeout}, 1 s..1 h)
 * @param metricsAddress where the Prometheus endpoint listens; empty (the default) for none ({@code --metrics-addr})
 * @param healthCheck    the check that demotes this node while it fails ({@code --health-url},
 *                       {@code --health-exec}); empty when there is none
 * @param rtPriority     real-time (SCHED_RR) priority of the protocol loop thread, 1..99, or 0 for none
 *                       ({@code --rt-priority})
 * @param garpRefresh    gratuitous ARPs / neighbour advertisements repeated this often while MASTER
 *                       ({@code --garp-refresh}); empty (the default) for none
 * @param peers          unicast mode: every node's address, this one's included ({@code --peer}, {@code KARP_PEERS});
 *                       empty for multicast
 * @param groups         the groups of a {@code --config} file's {@code groups:} list; empty for the one group
 *                       that {@code vhid} and {@code vips} describe
 * @param garpInterval   the spacing of a takeover's {@code garpCount} announcements ({@code --garp-interval},
 *                       0s..1m; zero sends them at once)
 * @param vipLifetime    the VIPs' lifetime while MASTER ({@code --vip-lifetime}): empty for automatic (about the
 *                       master-down interval, the default), {@link Duration#ZERO} for forever ({@code off}), else
 *                       the one given
 * @param auth           how adverts are authenticated, for every group ({@code --auth}, default {@code ucarp})
 */
public record KarpConfig(
        String interfaceName,
        Optional<Inet4Address> srcip,
        int vhid,
        CarpPassword password,
        List<Cidr> vips,
        int advbase,
        int advskew,
        int deadratio,
        boolean preempt,
        boolean neutral,
        Optional<Path> upscript,
        Optional<Path> downscript,
        Optional<String> xparam,
        boolean shutdown,
        boolean ignoreifstate,
        boolean nomcast,
        Inet4Address mcastip,
        boolean debug,
        Optional<InetSocketAddress> statusAddress,
        int garpCount,
        Duration scriptTimeout,
        Optional<InetSocketAddress> metricsAddress,
        Optional<HealthCheck> healthCheck,
        int rtPriority,
        List<Group> groups,
        Optional<Duration> garpRefresh,
        List<InetAddress> peers,
        Duration garpInterval,
        Optional<Duration> vipLifetime,
        AuthMode auth) {

    /** kube-karp's image default for KARP_SERVER_ID. UCarp itself requires {@code --vhid}. */
    public static final int DEFAULT_VHID = 10;
    /** ucarp-spec §5. */
    public static final int DEFAULT_ADVBASE = 1;
    public static final int DEFAULT_ADVSKEW = 0;
    public static final int DEFAULT_DEADRATIO = 3;
    /** ucarp-spec §5: the CARP group, 224.0.0.18. */
    public static final Inet4Address DEFAULT_MCASTIP = IpAddresses.ipv4(new byte[] {(byte) 224, 0, 0, 18});
    public static final InetSocketAddress DEFAULT_STATUS_ADDRESS =
            new InetSocketAddress(IpAddresses.ipv4(new byte[] {127, 0, 0, 1}), 9241);
    /**
     * Announcements per takeover, spaced by {@link #DEFAULT_GARP_INTERVAL}: UCarp sends one (ucarp-spec §6), and
     * one lost frame then leaves a client on the old master until its ARP cache expires.
     */
    public static final int DEFAULT_GARP_COUNT = 3;
    public static final Duration DEFAULT_GARP_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_GARP_INTERVAL = Duration.ofMinutes(1);
    public static final int MAX_GARP_COUNT = 10;
    public static final Duration DEFAULT_SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MIN_SCRIPT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_SCRIPT_TIMEOUT = Duration.ofHours(1);
    /**
     * The real-time priority the protocol loop gets by default at {@code --advbase 0}, where a wake-up delayed by a
     * busy CPU decides between master and backup; as low as possible, since it only has to beat normal threads.
     */
    public static final int DEFAULT_SUBSECOND_RT_PRIORITY = 10;

    public KarpConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(srcip, "srcip");
        Objects.requireNonNull(password, "password");
        vips = List.copyOf(vips);
        groups = List.copyOf(groups);
        if (vips.isEmpty() == groups.isEmpty()) {
            throw new ConfigException(vips.isEmpty() ? "no VIP given; use --vip ADDRESS/PREFIX (or --addr,"
                    + " KARP_VIRTUAL_IP, or 'vip' in --config)" : "--vip and a groups: list are both given; put every"
                    + " VIP in a group");
        }
        Objects.requireNonNull(upscript, "upscript");
        Objects.requireNonNull(downscript, "downscript");
        Objects.requireNonNull(xparam, "xparam");
        Objects.requireNonNull(mcastip, "mcastip");
        Objects.requireNonNull(statusAddress, "statusAddress");
        Objects.requireNonNull(scriptTimeout, "scriptTimeout");
        Objects.requireNonNull(metricsAddress, "metricsAddress");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(garpRefresh, "garpRefresh");
        peers = List.copyOf(peers);
        Objects.requireNonNull(garpInterval, "garpInterval");
        Objects.requireNonNull(vipLifetime, "vipLifetime");
        Objects.requireNonNull(auth, "auth");
        // ucarp-spec §5: UCarp checks vhid; advbase and advskew wrap silently above 255, karp refuses them.
        checkRange(Setting.VHID, vhid, 1, 255);
        checkRange(Setting.ADVBASE, advbase, 0, 255);
        checkRange(Setting.ADVSKEW, advskew, 0, 255);
        checkRange(Setting.DEADRATIO, deadratio, 1, 255);
        checkRange(Setting.GARP_COUNT, garpCount, 1, MAX_GARP_COUNT);
        checkRange(Setting.RT_PRIORITY, rtPriority, 0, 99);
        for (Cidr v : vips) {
            if (v.prefix() < 1 || v.prefix() > v.maxPrefix()) {
                throw ConfigException.value(Setting.VIP, v.toString(), "has a prefix out of range (expected: /1../"
                        + v.maxPrefix() + ")");
            }
        }
        // ucarp-spec §4.12: advbase 0 is legal only with a skew, else the advert interval would be zero.
        if (advbase == 0 && advskew == 0) {
            throw ConfigException.value(Setting.ADVBASE, 0,
                    "needs --advskew 1..255 (with both 0 the advertisement interval would be zero)");
        }
        // ucarp-spec §4.12, §8: 255/255 is the bow-out advert; backups would take over on every one.
        if (advbase == 255 && advskew == 255) {
            throw ConfigException.value(Setting.ADVSKEW, 255, "with --advbase 255 is the bow-out advert that makes"
                    + " backups take over at once (expected: --advskew 0..254 with --advbase 255)");
        }
        if (!mcastip.isMulticastAddress()) {
            throw ConfigException.value(Setting.MCASTIP, mcastip.getHostAddress(),
                    "is not a multicast address (expected: 224.0.0.0 to 239.255.255.255)");
        }
        if (srcip.isPresent() && vips.stream().anyMatch(v -> v.address().equals(srcip.get()))) {
            throw ConfigException.value(Setting.SRCIP, srcip.get().getHostAddress(),
                    "is the VIP; use this node's own address (the VIP moves between nodes)");
        }
        if (scriptTimeout.compareTo(MIN_SCRIPT_TIMEOUT) < 0 || scriptTimeout.compareTo(MAX_SCRIPT_TIMEOUT) > 0) {
            throw ConfigException.outOfRange(Setting.SCRIPT_TIMEOUT, Durations.format(scriptTimeout), "1s..1h");
        }
        if (interfaceName.isEmpty()) {
            throw ConfigException.of(Setting.INTERFACE, "--interface", "is empty");
        }
        if (garpInterval.isNegative() || garpInterval.compareTo(MAX_GARP_INTERVAL) > 0) {
            throw ConfigException.outOfRange(Setting.GARP_INTERVAL, Durations.format(garpInterval), "0s..1m");
        }
        if (vipLifetime.isPresent() && !vipLifetime.get().isZero() && (vipLifetime.get().compareTo(Duration.ofSeconds(1))
                < 0 || vipLifetime.get().compareTo(Duration.ofHours(1)) > 0)) {
            throw ConfigException.outOfRange(Setting.VIP_LIFETIME, Durations.format(vipLifetime.get()),
                    "1s..1h, auto or off");
        }
    }

    private static void checkRange(Setting setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw ConfigException.outOfRange(setting, value, min + ".." + max);
        }
    }

    /** The first VIP, the one UCarp's scripts get as {@code $2}. */
    public InetAddress vip() {
        return firstVip().address();
    }

    /** The first VIP's prefix. */
    public int vipPrefix() {
        return firstVip().prefix();
    }

    /** The first VIP as UCarp passes it to scripts as {@code $2}: dotted decimal, without prefix. */
    public String vipText() {
        return vip().getHostAddress();
    }

    /** The first VIP with its prefix, e.g. {@code 10.200.0.100/24}. */
    public String vipCidr() {
        return firstVip().toString();
    }

    private Cidr firstVip() {
        return vips.isEmpty() ? groups.get(0).vips().get(0) : vips.get(0);
    }

    /**
     * One item of a {@code groups:} list: its vhid and VIPs, and what it sets for itself; the rest comes from the
     * top level of the file (and flags and environment).
     *
     * @param vhid          1..255, unique among the groups of an interface
     * @param vips          at least one, prefixes resolved
     * @param interfaceName the group's interface; empty for the top-level one
     * @param srcip         this node's IPv4 address on the group's interface; empty without IPv4 VIPs
     * @param advbase       the group's own advbase
     * @param advskew       the group's own advskew
     * @param preempt       the group's own preemption
     * @param password      the group's own password
     * @param upscript      the group's own upscript
     * @param downscript    the group's own downscript
     */
    public record Group(int vhid, List<Cidr> vips, Optional<String> interfaceName, Optional<Inet4Address> srcip,
            OptionalInt advbase, OptionalInt advskew, Optional<Boolean> preempt, Optional<CarpPassword> password,
            Optional<Path> upscript, Optional<Path> downscript) {
        public Group {
            vips = List.copyOf(vips);
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(srcip, "srcip");
            Objects.requireNonNull(advbase, "advbase");
            Objects.requireNonNull(advskew, "advskew");
            Objects.requireNonNull(preempt, "preempt");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(upscript, "upscript");
            Objects.requireNonNull(downscript, "downscript");
        }
    }

    /** A builder with every default set; interface, srcip, password and vip must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link KarpConfig}; {@link #build()} runs the same checks as the constructor. */
    public static final class Builder {
        private String interfaceName;
        private Inet4Address srcip;
        private int vhid = DEFAULT_VHID;
        private CarpPassword password;
        private final List<Cidr> vips = new java.util.ArrayList<>();
        private final List<Group> groups = new java.util.ArrayList<>();
        private int advbase = DEFAULT_ADVBASE;
        private int advskew = DEFAULT_ADVSKEW;
        private int deadratio = DEFAULT_DEADRATIO;
        private boolean preempt;
        private boolean neutral;
        private Path upscript;
        private Path downscript;
        private String xparam;
        private boolean shutdown;
        private boolean ignoreifstate;
        private boolean nomcast;
        private Inet4Address mcastip = DEFAULT_MCASTIP;
        private boolean debug;
        private InetSocketAddress statusAddress = DEFAULT_STATUS_ADDRESS;
        private int garpCount = DEFAULT_GARP_COUNT;
        private Duration scriptTimeout = DEFAULT_SCRIPT_TIMEOUT;
        private InetSocketAddress metricsAddress;
        private HealthCheck healthCheck;
        private Integer rtPriority;
        private Duration garpRefresh;
        private final List<InetAddress> peers = new java.util.ArrayList<>();
        private Duration garpInterval = DEFAULT_GARP_INTERVAL;
        private Duration vipLifetime;
        private AuthMode auth = AuthMode.UCARP;

        private Builder() {
        }

        public Builder interfaceName(String v) {
            interfaceName = v;
            return this;
        }

        public Builder srcip(Inet4Address v) {
            srcip = v;
            return this;
        }

        public Builder vhid(int v) {
            vhid = v;
            return this;
        }

        public Builder password(CarpPassword v) {
            password = v;
            return this;
        }

        /** Adds a VIP. */
        public Builder vip(InetAddress address, int prefix) {
            vips.add(Cidr.of(address, prefix));
            return this;
        }

        /** Adds a group of a {@code groups:} list. */
        public Builder group(Group g) {
            groups.add(g);
            return this;
        }

        public Builder advbase(int v) {
            advbase = v;
            return this;
        }

        public Builder advskew(int v) {
            advskew = v;
            return this;
        }

        public Builder deadratio(int v) {
            deadratio = v;
            return this;
        }

        public Builder preempt(boolean v) {
            preempt = v;
            return this;
        }

        public Builder neutral(boolean v) {
            neutral = v;
            return this;
        }

        /** @param v the script, or null for none */
        public Builder upscript(Path v) {
            upscript = v;
            return this;
        }

        /** @param v the script, or null for none */
        public Builder downscript(Path v) {
            downscript = v;
            return this;
        }

        /** @param v the value, or null for none */
        public Builder xparam(String v) {
            xparam = v;
            return this;
        }

        public Builder shutdown(boolean v) {
            shutdown = v;
            return this;
        }

        public Builder ignoreifstate(boolean v) {
            ignoreifstate = v;
            return this;
        }

        public Builder nomcast(boolean v) {
            nomcast = v;
            return this;
        }

        public Builder mcastip(Inet4Address v) {
            mcastip = v;
            return this;
        }

        public Builder debug(boolean v) {
            debug = v;
            return this;
        }

        /** @param v where to listen, or null for {@code --status-addr off} */
        public Builder statusAddress(InetSocketAddress v) {
            statusAddress = v;
            return this;
        }

        public Builder garpCount(int v) {
            garpCount = v;
            return this;
        }

        public Builder scriptTimeout(Duration v) {
            scriptTimeout = v;
            return this;
        }

        /** @param v where the Prometheus endpoint listens, or null for none (the default) */
        public Builder metricsAddress(InetSocketAddress v) {
            metricsAddress = v;
            return this;
        }

        /** @param v the health check, or null for none */
        public Builder healthCheck(HealthCheck v) {
            healthCheck = v;
            return this;
        }

        /** @param v 1..99, 0 for none, or null for the default (see {@link #DEFAULT_SUBSECOND_RT_PRIORITY}) */
        /** Adds a unicast peer. */
        public Builder peer(InetAddress v) {
            peers.add(v);
            return this;
        }

        public Builder auth(AuthMode v) {
            auth = v;
            return this;
        }

        public Builder garpRefresh(Duration v) {
            garpRefresh = v;
            return this;
        }

        public Builder garpInterval(Duration v) {
            garpInterval = v;
            return this;
        }

        /** @param v the lifetime, {@link Duration#ZERO} for forever, or null for automatic (the default) */
        public Builder vipLifetime(Duration v) {
            vipLifetime = v;
            return this;
        }

        public Builder rtPriority(Integer v) {
            rtPriority = v;
            return this;
        }

        /** @throws ConfigException naming the first option that is out of range */
        public KarpConfig build() {
            return new KarpConfig(interfaceName, Optional.ofNullable(srcip), vhid, password, vips, advbase, advskew,
                    deadratio,
                    preempt, neutral, Optional.ofNullable(upscript), Optional.ofNullable(downscript),
                    Optional.ofNullable(xparam), shutdown, ignoreifstate, nomcast, mcastip, debug,
                    Optional.ofNullable(statusAddress), garpCount, scriptTimeout, Optional.ofNullable(metricsAddress),
                    Optional.ofNullable(healthCheck),
                    rtPriority != null ? rtPriority : advbase == 0 ? DEFAULT_SUBSECOND_RT_PRIORITY : 0, groups,
                    Optional.ofNullable(garpRefresh), peers, garpInterval, Optional.ofNullable(vipLifetime), auth);
        }
    }
}
