package dev.karp.link;

import dev.karp.carp.MacAddress;
import dev.karp.net.IpAddresses;
import dev.karp.netlink.LinkInfo;
import dev.karp.netlink.NeighbourInfo;
import dev.karp.netlink.NetlinkException;
import dev.karp.netlink.RtnetlinkClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MACs of unicast peers on one interface, from the kernel's neighbour table (ARP for IPv4, NDP for IPv6)
 * over rtnetlink: unicast CARP adverts go to the peer's own MAC, as FreeBSD's do. karp never keeps a table of
 * its own: the kernel already resolves, ages and re-confirms entries, and answers faster than any cache.
 *
 * <p>An entry counts when the kernel itself would send to it: REACHABLE, STALE, DELAY, PROBE or PERMANENT.
 * A missing or failed one is resolved by {@link #resolve}, which asks the kernel to treat the entry as in use
 * (RTM_NEWNEIGH with NTF_USE, {@code ip neigh replace ADDR dev IF use}): it sends an ARP request or neighbour
 * solicitation now and nothing reaches the peer's applications.
 *
 * <p>The socket belongs to the network namespace of the thread that called {@link #open}. Thread-safe.
 */
public final class Neighbours implements NeighbourTable, AutoCloseable {

    /** How often {@link #await} looks again; an ARP answer on a LAN takes well under a millisecond. */
    private static final Duration POLL = Duration.ofMillis(10);

    private final String interfaceName;
    private final RtnetlinkClient rtnl;

    private Neighbours(String interfaceName, RtnetlinkClient rtnl) {
        this.interfaceName = interfaceName;
        this.rtnl = rtnl;
    }

    /**
     * Opens the neighbour table of {@code interfaceName}, checking that the interface exists.
     *
     * @throws LinkException {@code interface eth9 not found (available: eth0, lo); check --interface}
     */
    public static Neighbours open(String interfaceName) throws LinkException {
        RtnetlinkClient rtnl;
        try {
            rtnl = RtnetlinkClient.open();
        } catch (NetlinkException e) {
            throw new LinkException("cannot open a netlink socket: " + e.getMessage(), e);
        }
        Neighbours n = new Neighbours(interfaceName, rtnl);
        try {
            n.index();
        } catch (LinkException e) {
            rtnl.close();
            throw e;
        }
        return n;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** {@code peer}'s MAC if the kernel's entry for it on the interface is usable; empty otherwise. */
    public Optional<MacAddress> lookup(InetAddress peer) throws LinkException {
        return entry(peer).filter(NeighbourInfo::isUsable).map(n -> MacAddress.of(n.mac().orElseThrow()));
    }

    /**
     * The kernel's entry for {@code peer} on the interface in any state (for status and logs: INCOMPLETE, FAILED),
     * or empty if there is none.
     */
    public Optional<NeighbourInfo> entry(InetAddress peer) throws LinkException {
        int index = index();
        try {
            return rtnl.neighbour(index, peer);
        } catch (NetlinkException e) {
            throw new LinkException("cannot read the neighbour table of " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the kernel resolve {@code peer} now (an ARP request or a neighbour solicitation) unless its entry is
     * already usable. Returns at once; the answer shows in {@link #lookup} a moment later.
     */
    public void resolve(InetAddress peer) throws LinkException {
        int index = index();
        try {
            rtnl.useNeighbour(index, peer);
        } catch (NetlinkException e) {
            throw new LinkException("cannot resolve " + IpAddresses.format(peer) + " on " + interfaceName + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@link #lookup}, else {@link #resolve} and look again every 10 ms until the MAC is known or {@code limit}
     * has passed (the kernel gives up after its own probes, about 3 s). Blocks: for startup and tests, not for
     * the daemon's loop.
     */
    public Optional<MacAddress> await(InetAddress peer, Duration limit) throws LinkException {
        long deadline = System.nanoTime() + limit.toNanos();
        Optional<MacAddress> mac = lookup(peer);
        if (mac.isPresent()) {
            return mac;
        }
        resolve(peer);
        while (true) {
            mac = lookup(peer);
            if (mac.isPresent() || System.nanoTime() - deadline >= 0) {
                return mac;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lookup(peer);
            }
        }
    }

    @Override
    public void close() {
        rtnl.close();
    }

    private int index() throws LinkException {
        try {
            Optional<LinkInfo> link = rtnl.link(interfaceName);
            if (link.isPresent()) {
                return link.get().index();
            }
            List<String> names = new ArrayList<>();
            for (LinkInfo l : rtnl.links()) {
                names.add(l.name());
            }
            throw LinkException.interfaceNotFound(interfaceName, names);
        } catch (NetlinkException e) {
            throw new LinkException("cannot look up " + interfaceName + ": " + e.getMessage(), e);
        }
    }
}
