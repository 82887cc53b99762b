package dev.karp.link;

import dev.karp.carp.MacAddress;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The kernel's neighbour table of one interface, as unicast adverts need it: a peer's MAC, and a way to have the
 * kernel find one it does not know. {@link Neighbours} reads the real one; tests use a map.
 */
public interface NeighbourTable {

    /** {@code peer}'s MAC if the kernel knows it; empty otherwise. Microseconds: one netlink round trip. */
    Optional<MacAddress> lookup(InetAddress peer) throws LinkException;

    /** Makes the kernel resolve {@code peer} (ARP request, neighbour solicitation); returns at once. */
    void resolve(InetAddress peer) throws LinkException;
}
