package dev.karp.daemon;

import dev.karp.carp.AuthMode;
import dev.karp.carp.CarpPassword;
import dev.karp.net.Cidr;
import dev.karp.scripts.ScriptRunner;
import dev.karp.scripts.VipScripts;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one CARP group needs to run: already checked, host defaults already resolved. {@link dev.karp.VipFailover}
 * builds it from its builder; the CLI never builds one itself. Printing it is safe: the password shows as a mask.
 *
 * @param interfaceName the interface the group runs on
 * @param srcip         this node's address, the IPv4 adverts' source, which also breaks ties between equal
 *                      intervals; for a group with IPv6 VIPs only, the interface's IPv6 link-local address
 * @param srcip6        the IPv6 adverts' source, the interface's link-local address; present exactly when the
 *                      group has an IPv6 VIP
 * @param vhid          1..255
 * @param password      the shared secret of the HMAC
 * @param vips          the virtual addresses with the prefixes they are added with, at least one, no address
 *                      twice; they move together
 * @param advbase       0..255 seconds
 * @param advskew       0..255
 * @param deadratio     1..255
 * @param preempt       take over from a less preferred master
 * @param neutral       leave a VIP found at start alone until a master is heard; no downscript at start
 * @param ignoreifstate do not watch the interface's carrier
 * @param nomcast       send adverts to the Ethernet broadcast address and join no group
 * @param mcastip       the adverts' destination group
 * @param debug         log every advert and drop
 * @param garpCount     announcements of the VIPs per takeover, {@code garpInterval} apart
 * @param upscript      run on becoming MASTER
 * @param downscript    run on becoming BACKUP
 * @param xparam        passed to the scripts as {@code $3}
 * @param garpRefresh   announce the VIPs again this often while MASTER (switches that forget MACs early)
 * @param peers         unicast mode: every node's address, this node's own included; empty for multicast
 * @param unicastSource6 unicast mode with IPv6 peers: this node's own IPv6 address in {@code peers}, the source of
 *                      its IPv6 adverts (instead of the link-local address)
 * @param garpInterval  the spacing of the {@code garpCount} announcements of a takeover; zero sends them at once
 * @param vipLifetime   the VIPs' valid and preferred lifetime while MASTER, renewed as it advertises (see
 *                      {@link VipLifetime}); empty for forever, as UCarp
 * @param auth          how adverts are authenticated ({@code --auth}; docs/protocol.md, "Strict authentication")
 */
public record GroupConfig(
        String interfaceName,
        InetAddress srcip,
        Optional<Inet6Address> srcip6,
        int vhid,
        CarpPassword password,
        List<Cidr> vips,
        int advbase,
        int advskew,
        int deadratio,
        boolean preempt,
        boolean neutral,
        boolean ignoreifstate,
        boolean nomcast,
        Inet4Address mcastip,
        boolean debug,
        int garpCount,
        Optional<Path> upscript,
        Optional<Path> downscript,
        Optional<String> xparam,
        Optional<Duration> garpRefresh,
        List<InetAddress> peers,
        Optional<Inet6Address> unicastSource6,
        Duration garpInterval,
        Optional<Duration> vipLifetime,
        AuthMode auth) {

    /** Spacing of the takeover announcements when none is given. */
    public static final Duration DEFAULT_GARP_INTERVAL = Duration.ofSeconds(1);

    public GroupConfig {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(garpInterval, "garpInterval");
        if (garpInterval.isNegative()) {
            throw new IllegalArgumentException("a negative garpInterval: " + garpInterval);
        }
        Objects.requireNonNull(vipLifetime, "vipLifetime");
        if (vipLifetime.isPresent() && vipLifetime.get().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a VIP lifetime under 1 s: " + vipLifetime.get());
        }
        peers = List.copyOf(peers);
        Objects.requireNonNull(unicastSource6, "unicastSource6");
        Objects.requireNonNull(garpRefresh, "garpRefresh");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(srcip, "srcip");
        Objects.requireNonNull(srcip6, "srcip6");
        Objects.requireNonNull(password, "password");
        vips = List.copyOf(vips);
        if (vips.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one VIP");
        }
        if (vips.stream().map(Cidr::address).collect(Collectors.toCollection(HashSet::new)).size() != vips.size()) {
            throw new IllegalArgumentException("a VIP is given twice: " + vips);
        }
        boolean v6 = vips.stream().anyMatch(c -> !c.isIpv4());
        if (v6 != srcip6.isPresent()) {
            throw new IllegalArgumentException(v6 ? "a group with IPv6 VIPs needs an IPv6 link-local source"
                    : "an IPv4-only group has no IPv6 source");
        }
        if (vips.stream().anyMatch(Cidr::isIpv4) && !(srcip instanceof Inet4Address)) {
            throw new IllegalArgumentException("a group with IPv4 VIPs needs an IPv4 source, not " + srcip);
        }
        Objects.requireNonNull(mcastip, "mcastip");
        Objects.requireNonNull(upscript, "upscript");
        Objects.requireNonNull(downscript, "downscript");
        Objects.requireNonNull(xparam, "xparam");
    }

    /** A group authenticated UCarp's way ({@code --auth ucarp}). */
    public GroupConfig(String interfaceName, InetAddress srcip, Optional<Inet6Address> srcip6, int vhid,
            CarpPassword password, List<Cidr> vips, int advbase, int advskew, int deadratio, boolean preempt,
            boolean neutral, boolean ignoreifstate, boolean nomcast, Inet4Address mcastip, boolean debug, int garpCount,
            Optional<Path> upscript, Optional<Path> downscript, Optional<String> xparam, Optional<Duration> garpRefresh,
            List<InetAddress> peers, Optional<Inet6Address> unicastSource6, Duration garpInterval,
            Optional<Duration> vipLifetime) {
        this(interfaceName, srcip, srcip6, vhid, password, vips, advbase, advskew, deadratio, preempt, neutral,
                ignoreifstate, nomcast, mcastip, debug, garpCount, upscript, downscript, xparam, garpRefresh, peers,
                unicastSource6, garpInterval, vipLifetime, AuthMode.UCARP);
    }

    /** The same group authenticated as {@code mode} says. */
    public GroupConfig withAuth(AuthMode mode) {
        return new GroupConfig(interfaceName, srcip, srcip6, vhid, password, vips, advbase, advskew, deadratio, preempt,
                neutral, ignoreifstate, nomcast, mcastip, debug, garpCount, upscript, downscript, xparam, garpRefresh,
                peers, unicastSource6, garpInterval, vipLifetime, mode);
    }

    /** A group with a single IPv4 VIP and no IPv6 one: a UCarp group, its VIP added for good. */
    public GroupConfig(String interfaceName, Inet4Address srcip, int vhid, CarpPassword password, Cidr vip, int advbase,
            int advskew, int deadratio, boolean preempt, boolean neutral, boolean ignoreifstate, boolean nomcast,
            Inet4Address mcastip, boolean debug, int garpCount, Optional<Path> upscript, Optional<Path> downscript,
            Optional<String> xparam) {
        this(interfaceName, srcip, Optional.empty(), vhid, password, List.of(vip), advbase, advskew, deadratio, preempt,
                neutral, ignoreifstate, nomcast, mcastip, debug, garpCount, upscript, downscript, xparam,
                Optional.empty(), List.of(), Optional.empty(), DEFAULT_GARP_INTERVAL, Optional.empty());
    }

    /** The first VIP: the one UCarp's scripts get as {@code $2} and the status shows as {@code vip}. */
    public Cidr primaryVip() {
        return vips.get(0);
    }

    /** The IPv4 VIPs, in the configured order. */
    public List<Inet4Address> ipv4Vips() {
        return vips.stream().filter(Cidr::isIpv4).map(Cidr::ipv4).toList();
    }

    /** The IPv6 VIPs, in the configured order. */
    public List<Inet6Address> ipv6Vips() {
        return vips.stream().filter(c -> !c.isIpv4()).map(c -> (Inet6Address) c.address()).toList();
    }

    /** The IPv4 source of the adverts; only for a group with an IPv4 VIP. */
    public Inet4Address srcip4() {
        return (Inet4Address) srcip;
    }

    /** The first VIP as UCarp passes it to scripts as {@code $2}: dotted decimal (or IPv6 text), without prefix. */
    public String vipText() {
        return primaryVip().address().getHostAddress();
    }

    /** The group's up and down scripts with UCarp's arguments, run by {@code runner}. */
    public VipScripts scripts(ScriptRunner runner) {
        return new VipScripts(runner, upscript, downscript, interfaceName, vipText(), xparam);
    }

    /** True in unicast mode: adverts go to the listed peers, and only theirs count. */
    public boolean unicast() {
        return !peers.isEmpty();
    }

    /** This node's own addresses among the peers. */
    public List<InetAddress> ownPeerAddresses() {
        return peers.stream().filter(p -> p.equals(srcip) || unicastSource6.map(p::equals).orElse(false)).toList();
    }

    /** The other nodes of the peer list, to which adverts go. */
    public List<InetAddress> otherPeers() {
        List<InetAddress> own = ownPeerAddresses();
        return peers.stream().filter(p -> !own.contains(p)).toList();
    }

    /** The first VIP with its prefix, e.g. {@code 10.200.0.100/24}. */
    public String vipCidr() {
        return primaryVip().toString();
    }

    /** Every VIP with its prefix, in the configured order. */
    public List<String> vipCidrs() {
        return vips.stream().map(Cidr::toString).toList();
    }
}
