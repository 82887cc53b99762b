package dev.karp.config;

import dev.karp.net.Cidr;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * VIPs that cannot work, found before anything touches the host: the kernel would accept most of them (and
 * karp would re-add {@code 0.0.0.0} every second, or answer ARP for the CARP group), so the loader refuses them.
 */
final class VipChecks {
    private VipChecks() {
    }

    /**
     * Why {@code vip/prefix} on {@code iface} cannot be a VIP, starting with a verb; empty if it can.
     *
     * @param all every interface of the host, to find a VIP that is already some interface's own address
     */
    static Optional<String> problem(Inet4Address vip, int prefix, HostInterface iface, List<HostInterface> all) {
        int v = bits(vip);
        int first = (v >>> 24) & 0xff;
        String ucarpFix = "; choose an unused address of the link's subnet";
        if (first == 0) {
            return Optional.of("is 0.0.0.0/8 ('this network'), which no client can reach" + ucarpFix);
        }
        if (first == 127) {
            return Optional.of("is a loopback address, which never leaves the node" + ucarpFix);
        }
        if (vip.isMulticastAddress()) {
            return Optional.of("is a multicast address (224.0.0.18 is the CARP group itself), not one a node can hold"
                    + ucarpFix);
        }
        if (v == -1) {
            return Optional.of("is the broadcast address 255.255.255.255" + ucarpFix);
        }
        if (prefix < 31) {
            int mask = -1 << (32 - prefix);
            String subnet = dotted(v & mask) + "/" + prefix;
            if ((v & ~mask) == 0) {
                return Optional.of("is the network address of " + subnet + ", which hosts do not use as a"
                        + " destination" + ucarpFix);
            }
            if ((v | mask) == -1) {
                return Optional.of("is the broadcast address of " + subnet + ", which every host on the link"
                        + " receives" + ucarpFix);
            }
        }
        for (HostInterface i : all) {
            for (Cidr a : i.addresses()) {
                if (!a.address().equals(vip)) {
                    continue;
                }
                // A VIP an earlier karp left behind is on this interface with the VIP's own prefix (and may
                // even be listed first); with another prefix, or on another interface, it is the node's own.
                boolean leftover = i.name().equals(iface.name()) && a.prefix() == prefix;
                if (!leftover) {
                    return Optional.of("is already an address of " + i.name() + " (" + a + "): removing it on a"
                            + " failover would cut this node off; choose an unused address (if an earlier karp"
                            + " left it there, remove it: ip addr del " + a + " dev " + i.name() + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** A warning for a VIP that no subnet of the interface holds, or empty. */
    static Optional<String> warning(Inet4Address vip, int prefix, HostInterface iface) {
        List<Cidr> others = iface.addresses().stream().filter(a -> !a.address().equals(vip)).toList();
        if (others.isEmpty() || others.stream().anyMatch(a -> a.contains(vip))) {
            return Optional.empty();
        }
        String subnets = others.stream().map(Cidr::toString).collect(Collectors.joining(", "));
        return Optional.of("is outside every subnet of " + iface.name() + " (" + subnets + "): clients on the link"
                + " will not find it by ARP, so only clients with a route to it through this link reach it;"
                + " if that is not what you want, choose an address in " + subnets);
    }

    private static String dotted(int v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private static int bits(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
