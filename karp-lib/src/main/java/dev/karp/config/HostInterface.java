package dev.karp.config;

import dev.karp.net.Cidr;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;

/**
 * A network interface of this host with its addresses.
 *
 * @param name          e.g. {@code eth0}
 * @param addresses     IPv4 addresses in the kernel's order: primary addresses first, as {@code ip addr} lists them
 * @param ipv6Addresses IPv6 addresses, link-local ones included (without a scope id), in no particular order;
 *                      empty when IPv6 is off
 */
public record HostInterface(String name, List<Cidr> addresses, List<Cidr> ipv6Addresses) {
    public HostInterface {
        if (name == null) {
            throw new NullPointerException("name");
        }
        addresses = List.copyOf(addresses);
        ipv6Addresses = List.copyOf(ipv6Addresses);
    }

    /** An interface with IPv4 addresses only (IPv6 off, or not looked at). */
    public HostInterface(String name, List<Cidr> addresses) {
        this(name, addresses, List.of());
    }

    /** The interface's IPv6 link-local address (fe80::/10), the source of IPv6 CARP adverts; the first if several. */
    public Optional<Inet6Address> linkLocal() {
        return ipv6Addresses.stream().map(Cidr::address).filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress())
                .map(Inet6Address.class::cast).findFirst();
    }
}
