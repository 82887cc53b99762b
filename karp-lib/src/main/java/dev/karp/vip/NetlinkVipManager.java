package dev.karp.vip;

import dev.karp.net.Cidr;
import dev.karp.netlink.AddressInfo;
import dev.karp.netlink.Errno;
import dev.karp.netlink.LinkInfo;
import dev.karp.netlink.NetlinkException;
import dev.karp.netlink.Rtnetlink;
import dev.karp.netlink.RtnetlinkClient;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Manages the VIP with rtnetlink (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR), the messages
 * {@code ip addr add|replace|del|show} sends, without running any program. IPv4 and IPv6; IPv6 VIPs
 * get IFA_F_NODAD, so they are usable the moment they are added (no tentative state, no DAD delay on
 * takeover). Needs CAP_NET_ADMIN for changes. The interface is looked up by name on every call but a renew (which
 * uses the index last found, and looks up again if that interface is gone), so a deleted and re-created interface (a
 * bond re-built by netplan, say) keeps working.
 *
 * <p>The netlink socket belongs to the network namespace of the thread that called
 * {@link #open}. Thread-safe.
 */
public final class NetlinkVipManager implements VipManager {
    private static final Logger LOG = Logger.getLogger("dev.karp.vip");

    /**
     * The kernel may hold the same address more than once with different prefixes; remove()
     * deletes until none is left, at most this many times.
     */
    private static final int MAX_DELETES = 32;

    private final String interfaceName;
    private final RtnetlinkClient rtnl;
    /** The interface's index as the last lookup by name found it, -1 for none (renew). */
    private volatile int knownIndex = -1;
    /** The interface index promote_secondaries was last set on, -1 for none. */
    private volatile int promotedIndex = -1;

    private NetlinkVipManager(String interfaceName, RtnetlinkClient rtnl) {
        this.interfaceName = interfaceName;
        this.rtnl = rtnl;
    }

    /**
     * Opens a manager for {@code interfaceName}, checking that the interface exists.
     *
     * @throws VipException {@code interface eth9 not found (available: eth0, lo); check --interface}
     */
    public static NetlinkVipManager open(String interfaceName) throws VipException {
        RtnetlinkClient rtnl;
        try {
            rtnl = RtnetlinkClient.open();
        } catch (NetlinkException e) {
            throw new VipException("cannot open a netlink socket: " + e.getMessage(), e.errno());
        }
        NetlinkVipManager m = new NetlinkVipManager(interfaceName, rtnl);
        try {
            m.index();
        } catch (VipException e) {
            rtnl.close();
            throw e;
        }
        return m;
    }

    @Override
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public boolean add(Cidr vip, Optional<Duration> lifetime) throws VipException {
        // No lambda here (nor in the IPv4 path below): a backup's first takeover runs this for the first time.
        long seconds = lifetime.isPresent() ? VipManager.lifetimeSeconds(lifetime.get()) : Rtnetlink.INFINITY_LIFE_TIME;
        int index = index();
        if (lifetime.isPresent() && vip.isIpv4()) {
            promoteSecondariesForExpiry(index);
        }
        try {
            if (vip.address() instanceof Inet4Address v4 && lifetime.isEmpty()) {
                rtnl.addAddress(index, v4, vip.prefix());
            } else {
                rtnl.addAddress(index, vip.address(), vip.prefix(), seconds, seconds);
            }
            return true;
        } catch (NetlinkException e) {
            if (e.is(Errno.EEXIST)) {
                return false;
            }
            throw VipException.kernelRefused("add", vip, interfaceName, e.errno());
        }
    }

    /**
     * Renews with the index the last lookup by name found ({@link #list()}, which housekeeping calls at least once a
     * second, or any other call), not a lookup of its own: a master renews at every advert, and the lookup doubled
     * the netlink round trips of a hundred groups (issue 14). An interface deleted since is no longer there
     * (ENODEV; the kernel does not hand out an index again soon): then it looks up by name and tries once more.
     */
    @Override
    public void renew(Cidr vip, Duration lifetime) throws VipException {
        long seconds = VipManager.lifetimeSeconds(lifetime);
        int known = knownIndex;
        int index = known >= 0 ? known : index();
        while (true) {
            if (vip.isIpv4()) {
                promoteSecondariesForExpiry(index);
            }
            try {
                rtnl.replaceAddress(index, vip.address(), vip.prefix(), seconds, seconds);
                return;
            } catch (NetlinkException e) {
                if (known < 0 || !e.is(Errno.ENODEV)) {
                    throw VipException.kernelRefused("renew", vip, interfaceName, e.errno());
                }
                known = -1;
                index = index();
            }
        }
    }

    /**
     * Removes every copy of the VIP and nothing else. If the VIP has become the interface's primary address (the
     * node's own address was removed and added again, as a DHCP renew may do), the kernel would delete the
     * addresses of its subnet with it unless promote_secondaries is set: it is set first, and any address that
     * vanished anyway is added back and logged.
     */
    @Override
    public boolean remove(Cidr vip) throws VipException {
        int index = index();
        if (vip.address() instanceof Inet6Address v6) {
            return removeIpv6(index, vip, v6);
        }
        List<AddressInfo> before = new ArrayList<>();
        for (AddressInfo a : addresses(index, vip)) {
            if (!a.isIpv6()) {
                before.add(a);
            }
        }
        if (primaryWithSecondaries(before, vip)) {
            try {
                rtnl.promoteSecondaries(index);
                LOG.info(() -> vip + " is the primary address of " + interfaceName + "; set promote_secondaries so"
                        + " removing it keeps the other addresses of its subnet");
            } catch (NetlinkException e) {
                LOG.warning(() -> "cannot set promote_secondaries on " + interfaceName + " (" + e.getMessage()
                        + "); addresses removed with the VIP will be added back");
            }
        }
        boolean removed = false;
        for (int i = 0; i < MAX_DELETES; i++) {
            try {
                rtnl.deleteAddress(index, (Inet4Address) vip.address());
                removed = true;
            } catch (NetlinkException e) {
                if (e.is(Errno.EADDRNOTAVAIL)) {
                    break;
                }
                throw VipException.kernelRefused("remove", vip, interfaceName, e.errno());
            }
        }
        if (removed) {
            restoreLost(index, vip, before);
        }
        return removed;
    }

    /**
     * The kernel expires an IPv4 address as it deletes one: if the VIP has become the primary address of its
     * subnet (the node's own address was removed and added again), the node's own address would expire with it,
     * unless promote_secondaries is set. karp cannot step in at expiry, so it is set beforehand, once per
     * interface instance. A failure only warns: the VIP is still added.
     */
    private void promoteSecondariesForExpiry(int index) {
        if (promotedIndex == index) {
            return;
        }
        try {
            rtnl.promoteSecondaries(index);
            promotedIndex = index;
            // Plain strings, no lambdas: this runs on a backup's first takeover.
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("set promote_secondaries on " + interfaceName + ", so that a VIP expiring as the primary"
                        + " address of its subnet leaves the other addresses of that subnet");
            }
        } catch (NetlinkException e) {
            LOG.warning("cannot set promote_secondaries on " + interfaceName + " (" + e.getMessage()
                    + "); a VIP that expires as the primary address of its subnet would take the other addresses"
                    + " of that subnet with it");
        }
    }

    /**
     * IPv6 deletes must name the prefix the address has, so each copy found is deleted with its own; IPv6 has
     * no primary addresses, so nothing else goes with it.
     */
    private boolean removeIpv6(int index, Cidr vip, Inet6Address address) throws VipException {
        boolean removed = false;
        for (AddressInfo a : addresses(index, vip)) {
            if (!a.local().equals(address)) {
                continue;
            }
            try {
                rtnl.deleteAddress(index, address, a.prefixLength());
                removed = true;
            } catch (NetlinkException e) {
                if (!e.is(Errno.EADDRNOTAVAIL)) {
                    throw VipException.kernelRefused("remove", vip, interfaceName, e.errno());
                }
                // gone in between (it expired, say): nothing left to do for this copy
            }
        }
        return removed;
    }

    /** Whether the VIP is listed before another address of its subnet and prefix: it is their primary. */
    static boolean primaryWithSecondaries(List<AddressInfo> addresses, Cidr vip) {
        boolean seenVip = false;
        for (AddressInfo a : addresses) {
            boolean sameSubnet = a.prefixLength() == vip.prefix() && vip.contains(a.local());
            if (a.local().equals(vip.address())) {
                seenVip = true;
            } else if (sameSubnet) {
                // The kernel lists a subnet's primary before its secondaries.
                return seenVip;
            }
        }
        return false;
    }

    private void restoreLost(int index, Cidr vip, List<AddressInfo> before) throws VipException {
        List<AddressInfo> after = addresses(index, vip);
        for (AddressInfo a : before) {
            if (a.local().equals(vip.address())
                    || after.stream().anyMatch(x -> x.local().equals(a.local()) && x.prefixLength() == a.prefixLength())) {
                continue;
            }
            String lost = a.local().getHostAddress() + "/" + a.prefixLength();
            try {
                rtnl.addAddress(index, (Inet4Address) a.local(), a.prefixLength());
                LOG.warning(() -> "removing " + vip + " from " + interfaceName + " also removed " + lost
                        + " (the VIP had become its primary address); added " + lost + " back");
            } catch (NetlinkException e) {
                LOG.severe(() -> "removing " + vip + " from " + interfaceName + " also removed " + lost
                        + ", and adding it back failed (" + e.getMessage() + "); this node has lost that address:"
                        + " ip addr add " + lost + " dev " + interfaceName);
            }
        }
    }

    private List<AddressInfo> addresses(int index, Cidr vip) throws VipException {
        try {
            return rtnl.addresses(index);
        } catch (NetlinkException e) {
            throw VipException.kernelRefused("list", null, interfaceName, e.errno());
        }
    }

    @Override
    public List<Cidr> list() throws VipException {
        int index = index();
        try {
            List<Cidr> out = new ArrayList<>();
            for (AddressInfo a : rtnl.addresses(index)) {
                out.add(Cidr.of(a.local(), a.prefixLength()));
            }
            return out;
        } catch (NetlinkException e) {
            throw VipException.kernelRefused("list", null, interfaceName, e.errno());
        }
    }

    @Override
    public void close() {
        rtnl.close();
    }

    private int index() throws VipException {
        try {
            var link = rtnl.link(interfaceName);
            if (link.isPresent()) {
                knownIndex = link.get().index();
                return knownIndex;
            }
            knownIndex = -1;
            List<String> names = new ArrayList<>();
            for (LinkInfo l : rtnl.links()) {
                names.add(l.name());
            }
            throw VipException.interfaceNotFound(interfaceName, names);
        } catch (NetlinkException e) {
            throw VipException.kernelRefused("list", null, interfaceName, e.errno());
        }
    }
}
