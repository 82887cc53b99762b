package dev.karp.carp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Where an advert goes: the IP destination and the Ethernet destination. The groups by default;
 * a unicast peer (its own IP and MAC) gets an advert with the same TTL 255 and the same HMAC
 * (carp-v6-unicast §5.2).
 *
 * @param ip  the IP destination; its family is the advert's
 * @param mac the Ethernet destination
 */
public record Destination(InetAddress ip, MacAddress mac) {
    /** 224.0.0.18 at 01:00:5e:00:00:12: UCarp's default. */
    public static final Destination IPV4_GROUP = group(Carp.DEFAULT_GROUP);
    /** ff02::12 at 33:33:00:00:00:12: what FreeBSD and OpenBSD send IPv6 adverts to (carp-v6-unicast §4.1). */
    public static final Destination IPV6_GROUP = group(Carp.DEFAULT_GROUP_IPV6);

    public Destination {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
    }

    /** A multicast group at its standard multicast MAC ({@code 01:00:5e:…} or {@code 33:33:…}). */
    public static Destination group(InetAddress group) {
        if (group instanceof Inet6Address g6) {
            return new Destination(g6, Carp.multicastMac(g6));
        }
        return new Destination(group, Carp.multicastMac((Inet4Address) group));
    }

    /**
     * UCarp's IPv4 destination: the group ({@code --mcastip}) at its multicast MAC, or at Ethernet
     * broadcast with {@code --nomcast} (the IP destination stays the group, cap 07).
     */
    public static Destination ipv4(Inet4Address group, boolean nomcast) {
        return new Destination(group, Carp.destinationMac(group, nomcast));
    }

    public boolean isIpv6() {
        return ip instanceof Inet6Address;
    }

    @Override
    public String toString() {
        return VipAddresses.text(ip) + " at " + mac;
    }
}
