package dev.karp.vip;

import dev.karp.net.Cidr;
import dev.karp.netlink.AddressInfo;
import dev.karp.netlink.Errno;
import dev.karp.netlink.LinkInfo;
import dev.karp.netlink.NetlinkException;
import dev.karp.netlink.RtnetlinkClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Manages the VIP with rtnetlink (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR), the messages
 * {@code ip addr add|del|show} sends, without running any program. Needs CAP_NET_ADMIN for
 * changes. The interface is looked up by name on every call, so a deleted and re-created
 * interface (a bond re-built by netplan, say) keeps working.
 *
 * <p>The netlink socket belongs to the network namespace of the thread that called
 * {@link #open}. Thread-safe.
 */
public final class NetlinkVipManager implements VipManager {

    /**
     * The kernel may hold the same address more than once with different prefixes; remove()
     * deletes until none is left, at most this many times.
     */
    private static final int MAX_DELETES = 32;

    private final String interfaceName;
    private final RtnetlinkClient rtnl;

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
    public boolean add(Cidr vip) throws VipException {
        int index = index();
        try {
            rtnl.addAddress(index, vip.ipv4(), vip.prefix());
            return true;
        } catch (NetlinkException e) {
            if (e.is(Errno.EEXIST)) {
                return false;
            }
            throw VipException.kernelRefused("add", vip, interfaceName, e.errno());
        }
    }

    @Override
    public boolean remove(Cidr vip) throws VipException {
        int index = index();
        boolean removed = false;
        for (int i = 0; i < MAX_DELETES; i++) {
            try {
                rtnl.deleteAddress(index, vip.ipv4());
                removed = true;
            } catch (NetlinkException e) {
                if (e.is(Errno.EADDRNOTAVAIL)) {
                    return removed;
                }
                throw VipException.kernelRefused("remove", vip, interfaceName, e.errno());
            }
        }
        return removed;
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
                return link.get().index();
            }
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
