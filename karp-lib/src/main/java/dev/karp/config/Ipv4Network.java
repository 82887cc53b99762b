package dev.karp.config;

import java.net.Inet4Address;

/**
 * An IPv4 address with its prefix length, as configured on an interface ({@code 10.200.0.11/24}).
 *
 * @param address the interface's address (not the network address)
 * @param prefix  0..32
 */
public record Ipv4Network(Inet4Address address, int prefix) {
    public Ipv4Network {
        if (address == null) {
            throw new NullPointerException("address");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix + " is out of range (expected: 0..32)");
        }
    }

    /** Whether {@code other} lies in this address's subnet. */
    public boolean contains(Inet4Address other) {
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (Ipv4.toLong(address) & mask) == (Ipv4.toLong(other) & mask);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix;
    }
}
