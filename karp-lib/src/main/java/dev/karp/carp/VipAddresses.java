package dev.karp.carp;

import dev.karp.net.IpAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The addresses of one vhid, both families, in the order and form the HMAC covers them
 * (carp-v6-unicast §2.2, as FreeBSD's and OpenBSD's {@code carp_hmac_prepare}): IPv4 addresses
 * ascending as unsigned 32-bit numbers, then IPv6 addresses ascending bytewise, each with bytes
 * 2..3 zeroed first when it is scope-embedded (link-local unicast, interface- and link-local
 * multicast: the KAME scope id lives there inside a BSD kernel, never on the wire). An address
 * given twice is held once; two IPv6 addresses that differ only in those bytes or in their
 * {@code %scope} are the same address here.
 *
 * <p>With one IPv4 address and no IPv6 address, {@link #hmacBytes()} is UCarp's 4-byte VIP, so the
 * HMAC message is UCarp's byte for byte. Immutable.
 */
public final class VipAddresses {
    private final List<Inet4Address> ipv4;
    private final List<Inet6Address> ipv6;
    /** The HMAC message part: 4 bytes per IPv4 address, then 16 per IPv6 address. Never handed out. */
    private final byte[] hmacBytes;
    private final boolean hasScopedIpv6;
    /** The set without scope-embedded IPv6 addresses (OpenBSD's HMAC_NOV6LL form), or this. */
    private final VipAddresses withoutScoped;

    private VipAddresses(List<Inet4Address> ipv4, List<Inet6Address> ipv6) {
        this.ipv4 = List.copyOf(ipv4);
        this.ipv6 = List.copyOf(ipv6);
        byte[] m = new byte[4 * ipv4.size() + 16 * ipv6.size()];
        int i = 0;
        for (Inet4Address a : ipv4) {
            System.arraycopy(a.getAddress(), 0, m, i, 4);
            i += 4;
        }
        boolean scoped = false;
        for (Inet6Address a : ipv6) {
            System.arraycopy(wireForm(a), 0, m, i, 16);
            i += 16;
            scoped |= isScopeEmbedded(a);
        }
        this.hmacBytes = m;
        this.hasScopedIpv6 = scoped;
        this.withoutScoped = scoped
                ? new VipAddresses(ipv4, ipv6.stream().filter(a -> !isScopeEmbedded(a)).toList())
                : this;
    }

    /**
     * The set of these addresses; either family, in any order, duplicates allowed.
     *
     * @throws IllegalArgumentException when there is none: a vhid has at least one address
     */
    public static VipAddresses of(Collection<? extends InetAddress> addresses) {
        Objects.requireNonNull(addresses, "addresses");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no VIP given (expected: at least one IPv4 or IPv6 address per vhid)");
        }
        // Keyed by the hashed bytes, so the first of two equal addresses is the one kept.
        TreeMap<byte[], Inet4Address> v4 = new TreeMap<>(Arrays::compareUnsigned);
        TreeMap<byte[], Inet6Address> v6 = new TreeMap<>(Arrays::compareUnsigned);
        for (InetAddress a : addresses) {
            Objects.requireNonNull(a, "address");
            if (a instanceof Inet4Address a4) {
                v4.putIfAbsent(a4.getAddress(), a4);
            } else if (a instanceof Inet6Address a6) {
                v6.putIfAbsent(wireForm(a6), a6);
            } else {
                throw new IllegalArgumentException("'" + a + "' is neither an IPv4 nor an IPv6 address");
            }
        }
        return new VipAddresses(new ArrayList<>(v4.values()), new ArrayList<>(v6.values()));
    }

    /** As {@link #of(Collection)}. */
    public static VipAddresses of(InetAddress... addresses) {
        return of(Arrays.asList(addresses));
    }

    /** The IPv4 addresses, ascending as unsigned numbers. */
    public List<Inet4Address> ipv4() {
        return ipv4;
    }

    /** The IPv6 addresses, ascending by their hashed bytes; each as given (with its scope, if any). */
    public List<Inet6Address> ipv6() {
        return ipv6;
    }

    /** Every address: the IPv4 ones, then the IPv6 ones, in HMAC order. */
    public List<InetAddress> all() {
        List<InetAddress> all = new ArrayList<>(size());
        all.addAll(ipv4);
        all.addAll(ipv6);
        return List.copyOf(all);
    }

    public boolean hasIpv4() {
        return !ipv4.isEmpty();
    }

    public boolean hasIpv6() {
        return !ipv6.isEmpty();
    }

    public int size() {
        return ipv4.size() + ipv6.size();
    }

    /** True when an IPv6 address is scope-embedded (a link-local VIP): OpenBSD leaves those out of what it sends. */
    public boolean hasScopedIpv6() {
        return hasScopedIpv6;
    }

    /**
     * The addresses part of the HMAC message: 4 bytes per IPv4 address, then 16 per IPv6 address
     * (scope bytes zeroed), in order. A copy.
     */
    public byte[] hmacBytes() {
        return hmacBytes.clone();
    }

    /** The same bytes without a copy, for {@link CarpHmac}'s hot path; callers must not write to it. */
    byte[] hmacBytesShared() {
        return hmacBytes;
    }

    /**
     * These addresses without the scope-embedded IPv6 ones: what OpenBSD hashes in the adverts it
     * sends ({@code HMAC_NOV6LL}, carp-v6-unicast §2.3). This set itself when it has none.
     */
    VipAddresses withoutScopedIpv6() {
        return withoutScoped;
    }

    /**
     * True for the addresses a BSD kernel stores with a scope id in bytes 2..3
     * ({@code IN6_IS_SCOPE_EMBED}): link-local unicast fe80::/10, and interface-local (ff01) and
     * link-local (ff02) multicast, whatever the multicast flags.
     */
    static boolean isScopeEmbedded(Inet6Address a) {
        byte[] b = a.getAddress();
        return a.isLinkLocalAddress() || ((b[0] & 0xff) == 0xff && ((b[1] & 0x0f) == 0x01 || (b[1] & 0x0f) == 0x02));
    }

    /** The 16 hashed bytes: the address with bytes 2..3 zeroed when it is scope-embedded. */
    static byte[] wireForm(Inet6Address a) {
        byte[] b = a.getAddress();
        if (isScopeEmbedded(a)) {
            b[2] = 0;
            b[3] = 0;
        }
        return b;
    }

    /** Equal when the HMAC covers the same bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VipAddresses v && Arrays.equals(hmacBytes, v.hmacBytes) && ipv4.size() == v.ipv4.size();
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hmacBytes);
    }

    /** The addresses in HMAC order, comma-separated: {@code 192.0.2.2,192.0.2.10,2001:db8::3}. */
    @Override
    public String toString() {
        return all().stream().map(VipAddresses::text).collect(Collectors.joining(","));
    }

    /** An address as text: IPv4 dotted, IPv6 in the RFC 5952 short form without its {@code %scope}. */
    static String text(InetAddress a) {
        return IpAddresses.format(a);
    }
}
