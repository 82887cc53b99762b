package dev.karp.vip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 address with a prefix length, as in {@code 10.0.0.5/24}: the VIP, or an address found
 * on an interface.
 *
 * @param address      the address itself (host bits kept)
 * @param prefixLength 0..32
 */
public record VipAddress(Inet4Address address, int prefixLength) {

    public VipAddress {
        if (address == null) {
            throw new IllegalArgumentException("address is missing");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range (expected: 0..32)");
        }
    }

    public static VipAddress of(Inet4Address address, int prefixLength) {
        return new VipAddress(address, prefixLength);
    }

    /**
     * Parses {@code 10.0.0.5/24}; a bare {@code 10.0.0.5} becomes {@code /32}. Use
     * {@link #parse(String, Collection)} to apply the interface's subnet instead.
     *
     * @throws IllegalArgumentException naming the bad part, e.g. {@code bad IPv4 address "10.0.0.256": 256 is not an octet (expected: 0..255)}
     */
    public static VipAddress parse(String text) {
        return parse(text, List.of());
    }

    /**
     * Parses {@code 10.0.0.5/24} or {@code 10.0.0.5}. Without a prefix, the prefix is that of
     * the subnet on the interface that holds the VIP, else /32 (see {@link #defaultPrefix}).
     *
     * @param interfaceAddresses the IPv4 addresses of the interface the VIP will live on
     */
    public static VipAddress parse(String text, Collection<VipAddress> interfaceAddresses) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            Inet4Address a = parseInet4(s);
            return new VipAddress(a, defaultPrefix(a, interfaceAddresses));
        }
        Inet4Address a = parseInet4(s.substring(0, slash));
        String p = s.substring(slash + 1);
        if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad prefix length \"" + p + "\" in \"" + s + "\" (expected: 0..32)");
        }
        return new VipAddress(a, Integer.parseInt(p));
    }

    /**
     * The prefix a VIP gets when none is given: that of the most specific address on the
     * interface whose subnet contains the VIP (so {@code 10.0.0.5} next to {@code 10.0.0.11/24}
     * becomes {@code /24}, like UCarp's upscripts that add {@code $VIP/24}); otherwise /32, which
     * adds no route and cannot clash with another subnet.
     */
    public static int defaultPrefix(Inet4Address vip, Collection<VipAddress> interfaceAddresses) {
        int best = -1;
        for (VipAddress a : interfaceAddresses) {
            if (a.prefixLength() < 32 && a.contains(vip) && a.prefixLength() > best) {
                best = a.prefixLength();
            }
        }
        return best < 0 ? 32 : best;
    }

    /**
     * Parses a dotted quad strictly: four decimal octets, no host names (nothing is ever looked
     * up in DNS), no leading zeros (UCarp's C parser reads {@code 010} as 8, ucarp-spec §7.15).
     */
    public static Inet4Address parseInet4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address \"" + text + "\" (expected: four octets like 10.0.0.5)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            boolean digits = !p.isEmpty() && p.length() <= 3 && p.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("bad IPv4 address \"" + text + "\": \"" + p
                        + "\" is not an octet (expected: 0..255 without leading zeros)");
            }
            bytes[i] = (byte) Integer.parseInt(p);
        }
        return inet4(bytes);
    }

    /** True when {@code other} lies in this address's subnet. */
    public boolean contains(Inet4Address other) {
        int mask = mask();
        return (bits(address) & mask) == (bits(other) & mask);
    }

    /** The subnet's first address, e.g. 10.0.0.0 for 10.0.0.5/24. */
    public Inet4Address network() {
        return inet4(ByteBuffer.allocate(4).putInt(bits(address) & mask()).array());
    }

    /** The directed broadcast, e.g. 10.0.0.255 for 10.0.0.5/24; none for /31 and /32 (RFC 3021). */
    public Optional<Inet4Address> broadcast() {
        if (prefixLength >= 31) {
            return Optional.empty();
        }
        return Optional.of(inet4(ByteBuffer.allocate(4).putInt(bits(address) | ~mask()).array()));
    }

    /** True when both name the same address, whatever their prefix lengths. */
    public boolean sameAddress(VipAddress other) {
        return address.equals(other.address);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    private int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int bits(Inet4Address a) {
        return ByteBuffer.wrap(a.getAddress()).getInt();
    }

    private static Inet4Address inet4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }
}
