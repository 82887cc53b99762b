package dev.karp.netlink;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * One IPv4 address as RTM_NEWADDR reports it.
 *
 * @param index        ifa_index of the interface holding it
 * @param prefixLength ifa_prefixlen
 * @param scope        ifa_scope ({@link Rtnetlink#RT_SCOPE_UNIVERSE} for ordinary addresses)
 * @param local        IFA_LOCAL, the address itself
 * @param broadcast    IFA_BROADCAST, if set
 * @param label        IFA_LABEL, e.g. {@code eth0} or {@code eth0:vip}
 */
public record AddressInfo(int index, int prefixLength, int scope, Inet4Address local,
        Optional<Inet4Address> broadcast, String label) {
}
