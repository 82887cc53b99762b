package dev.karp.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * An IP address with a prefix length, as in {@code 10.0.0.5/24}: the VIP, or an address found on an interface.
 * The address keeps its host bits. IPv4 is what karp runs on today; the type takes IPv6 too ({@code /0..128}) so
 * that the address families can be added without a second type.
 *
 * @param address the address itself (host bits kept)
 * @param prefix  0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefix) {
    public Cidr {
        if (address == null) {
            throw new IllegalArgumentException("address is missing");
        }
        int max = maxPrefix(address);
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range (expected: 0.." + max + ")");
        }
    }

    public static Cidr of(InetAddress address, int prefix) {
        return new Cidr(address, prefix);
    }

    /**
     * Parses {@code ADDRESS/PREFIX} or a bare {@code ADDRESS}, which gets the full length (/32, /128). The address
     * is a literal ({@link IpAddresses#parse}); nothing is looked up. Use {@link #parse(String, Collection)} to take
     * the prefix from the interface's subnet instead.
     *
     * @throws IllegalArgumentException with a reason to put after the text, e.g. {@code has a bad prefix length}
     */
    public static Cidr parse(String text) {
        return parse(text, List.of());
    }

    /**
     * Parses {@code ADDRESS/PREFIX} or {@code ADDRESS}. Without a prefix, the prefix is that of the subnet on the
     * interface that holds the address, else the full length (see {@link #defaultPrefix}).
     *
     * @param interfaceAddresses the addresses of the interface the address will live on
     * @throws IllegalArgumentException with a reason to put after the text, e.g. {@code has a bad prefix length}
     */
    public static Cidr parse(String text, Collection<Cidr> interfaceAddresses) {
        String s = text.strip();
        int slash = s.indexOf('/');
        InetAddress a = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash)).orElseThrow(() ->
                new IllegalArgumentException("is not an IP address (expected: e.g. 10.0.0.5/24 or fd00::5/64)"));
        if (slash < 0) {
            return new Cidr(a, defaultPrefix(a, interfaceAddresses));
        }
        String p = s.substring(slash + 1);
        int max = maxPrefix(a);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > max) {
            throw new IllegalArgumentException("has a bad prefix length (expected: /0 to /" + max + ")");
        }
        return new Cidr(a, Integer.parseInt(p));
    }

    /**
     * The prefix an address gets when none is given: that of the most specific address of the same family on the
     * interface whose subnet contains it (so {@code 10.0.0.5} next to {@code 10.0.0.11/24} becomes {@code /24},
     * like UCarp's upscripts that add {@code $VIP/24}); otherwise the full length, which adds no route and cannot
     * clash with another subnet.
     */
    public static int defaultPrefix(InetAddress address, Collection<Cidr> interfaceAddresses) {
        int best = -1;
        for (Cidr a : interfaceAddresses) {
            if (a.prefix() < a.maxPrefix() && a.contains(address) && a.prefix() > best) {
                best = a.prefix();
            }
        }
        return best < 0 ? maxPrefix(address) : best;
    }

    /** The longest prefix of the address's family: 32 or 128. */
    public int maxPrefix() {
        return maxPrefix(address);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /**
     * The address, for the code that speaks IPv4 only (CARP adverts, ARP, the IPv4 netlink messages).
     *
     * @throws IllegalStateException for an IPv6 address
     */
    public Inet4Address ipv4() {
        if (address instanceof Inet4Address v4) {
            return v4;
        }
        throw new IllegalStateException(this + " is not an IPv4 address");
    }

    /** True when {@code other} is of the same family and lies in this address's subnet. */
    public boolean contains(InetAddress other) {
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int m = maskByte(i);
            if ((a[i] & m) != (b[i] & m)) {
                return false;
            }
        }
        return true;
    }

    /** True when both name the same address, whatever their prefix lengths. */
    public boolean sameAddress(Cidr other) {
        return address.equals(other.address);
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefix;
    }

    /** The prefix's mask for byte {@code i} of the address, as 0..255. */
    private int maskByte(int i) {
        int bits = Math.max(0, Math.min(8, prefix - 8 * i));
        return (0xff << (8 - bits)) & 0xff;
    }

    private static int maxPrefix(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }
}
