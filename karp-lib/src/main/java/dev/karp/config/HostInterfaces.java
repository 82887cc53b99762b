package dev.karp.config;

import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;

/**
 * What the configuration needs to know about the host's interfaces, behind an interface so that
 * loading a configuration can be tested without touching the real network.
 */
public interface HostInterfaces {
    /** Every interface with its IPv4 and IPv6 addresses. */
    List<HostInterface> list();

    /** The interface that holds the IPv4 default route (the one with the lowest metric), if there is one. */
    Optional<String> defaultRouteInterface();

    /** The interface with this name, if the host has it. */
    default Optional<HostInterface> find(String name) {
        return list().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The IPv6 link-local address of {@code interfaceName} (no scope id), which IPv6 adverts and neighbour
     * advertisements are sent from.
     *
     * @throws ConfigException when the interface is missing, or has no link-local address (IPv6 disabled on it,
     *                         or the interface is down); the message says how to fix it
     */
    default Inet6Address linkLocal(String interfaceName) {
        List<HostInterface> all = list();
        HostInterface iface = all.stream().filter(i -> i.name().equals(interfaceName)).findFirst()
                .orElseThrow(() -> new ConfigException("interface " + interfaceName + " not found (available: "
                        + (all.isEmpty() ? "none" : all.stream().map(HostInterface::name)
                                .collect(java.util.stream.Collectors.joining(", "))) + "); check --interface"));
        return iface.linkLocal().orElseThrow(() -> new ConfigException(interfaceName + " has no IPv6 link-local"
                + " address, which IPv6 adverts are sent from; enable IPv6 on it (sysctl -w net.ipv6.conf."
                + interfaceName + ".disable_ipv6=0) and make sure it is up, or use IPv4 VIPs only"));
    }
}
