package dev.karp.config;

import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the configuration needs to know about the host's interfaces, behind an interface so that
 * loading a configuration can be tested without touching the real network.
 */
public interface HostInterfaces {
    /** Every interface with its IPv4 addresses. */
    List<HostInterface> list();

    /** The interface that holds the IPv4 default route (the one with the lowest metric), if there is one. */
    Optional<String> defaultRouteInterface();

    /** The interface with this name, if the host has it. */
    default Optional<HostInterface> find(String name) {
        return list().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The interface's IPv6 link-local address, the source of IPv6 adverts; empty when it has none (IPv6 disabled
     * on it) or does not exist.
     */
    default Optional<Inet6Address> linkLocal(String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic == null) {
                return Optional.empty();
            }
            return Collections.list(nic.getInetAddresses()).stream()
                    .filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress())
                    // Without the scope id: it is the address as it goes on the wire.
                    .map(a -> {
                        try {
                            return (Inet6Address) Inet6Address.getByAddress(null, a.getAddress());
                        } catch (java.net.UnknownHostException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
