package dev.karp.config;

import dev.karp.net.Cidr;
import java.util.List;

/**
 * A network interface of this host with its IPv4 addresses.
 *
 * @param name      e.g. {@code eth0}
 * @param addresses IPv4 addresses in the kernel's order: primary addresses first, as {@code ip addr} lists them
 */
public record HostInterface(String name, List<Cidr> addresses) {
    public HostInterface {
        if (name == null) {
            throw new NullPointerException("name");
        }
        addresses = List.copyOf(addresses);
    }
}
