package dev.karp.config;

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
}
