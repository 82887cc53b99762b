package dev.karp.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One IPv4 or IPv6 address as RTM_NEWADDR reports it.
 *
 * @param index             ifa_index of the interface holding it
 * @param prefixLength      ifa_prefixlen
 * @param scope             ifa_scope ({@link Rtnetlink#RT_SCOPE_UNIVERSE} for ordinary addresses,
 *                          {@link Rtnetlink#RT_SCOPE_LINK} for IPv6 link-local ones)
 * @param local             the address itself (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6 without a peer)
 * @param broadcast         IFA_BROADCAST, if set (IPv4 only)
 * @param label             IFA_LABEL, e.g. {@code eth0} or {@code eth0:vip} (IPv4 only; empty for IPv6)
 * @param flags             IFA_FLAGS, else ifa_flags: {@link Rtnetlink#IFA_F_PERMANENT}, {@code IFA_F_TENTATIVE}, ...
 * @param validLifetime     seconds left of IFA_CACHEINFO's ifa_valid, {@link Rtnetlink#INFINITY_LIFE_TIME} for forever
 * @param preferredLifetime seconds left of ifa_prefered, {@link Rtnetlink#INFINITY_LIFE_TIME} for forever
 */
public record AddressInfo(int index, int prefixLength, int scope, InetAddress local,
        Optional<Inet4Address> broadcast, String label, int flags, long validLifetime, long preferredLifetime) {

    /** A permanent address (no lifetimes, no flags reported). */
    public AddressInfo(int index, int prefixLength, int scope, InetAddress local, Optional<Inet4Address> broadcast,
            String label) {
        this(index, prefixLength, scope, local, broadcast, label, Rtnetlink.IFA_F_PERMANENT,
                Rtnetlink.INFINITY_LIFE_TIME, Rtnetlink.INFINITY_LIFE_TIME);
    }

    public boolean isIpv6() {
        return local instanceof Inet6Address;
    }

    /** An IPv6 address in fe80::/10, valid on its link only. */
    public boolean isLinkLocal() {
        return local.isLinkLocalAddress();
    }

    /** IPv6 duplicate address detection still runs (or failed): the address cannot be used as a source. */
    public boolean isTentative() {
        return (flags & (Rtnetlink.IFA_F_TENTATIVE | Rtnetlink.IFA_F_DADFAILED)) != 0;
    }

    public boolean isDeprecated() {
        return (flags & Rtnetlink.IFA_F_DEPRECATED) != 0;
    }
}
