package dev.karp.carp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * Wire constants, named as in carp(4) ({@code ip_carp.h}) and the RFCs, with the values UCarp
 * puts on the wire (ucarp-spec §1). Only {@link CarpCodec} turns them into bytes.
 */
public final class Carp {
    /** IP protocol number of CARP; IANA lists 112 as VRRP, which shares it (ucarp-spec §1.2). */
    public static final int IPPROTO_CARP = 112;
    /** The only CARP version; the high nibble of CARP byte 0. */
    public static final int CARP_VERSION = 2;
    /** The only CARP packet type; the low nibble of CARP byte 0. */
    public static final int CARP_ADVERTISEMENT = 1;
    /** TTL of every advert; anything else has crossed a router and is dropped (ucarp-spec §1.6 step 5). */
    public static final int CARP_DFLTTL = 255;
    /** counter + HMAC in 32-bit words: (8 + 20) / 4. */
    public static final int CARP_AUTHLEN = 7;
    /** Alias of {@link #CARP_AUTHLEN}, the name the spec tables use. */
    public static final int AUTHLEN = CARP_AUTHLEN;

    public static final int ETHER_HEADER_LEN = 14;
    public static final int IP_HEADER_LEN = 20;
    public static final int CARP_HEADER_LEN = 36;
    /** 14 + 20 + 36: UCarp's frame has no IP options, no padding and no trailer (ucarp-spec §1.1). */
    public static final int FRAME_LEN = ETHER_HEADER_LEN + IP_HEADER_LEN + CARP_HEADER_LEN;
    /** IP total length of an advert: 20 + 36. */
    public static final int IP_TOTAL_LEN = IP_HEADER_LEN + CARP_HEADER_LEN;
    /** The fixed IPv6 header; karp sends no extension headers and accepts none (carp-v6-unicast §4.1). */
    public static final int IPV6_HEADER_LEN = 40;
    /** 14 + 40 + 36: an advert over IPv6. */
    public static final int FRAME_LEN_IPV6 = ETHER_HEADER_LEN + IPV6_HEADER_LEN + CARP_HEADER_LEN;
    public static final int COUNTER_LEN = 8;
    /** HMAC-SHA1 output length. */
    public static final int DIGEST_LEN = 20;

    /** Offsets inside the 36-byte CARP header (ucarp-spec §1.3). */
    public static final int OFF_VERSION_TYPE = 0;
    public static final int OFF_VHID = 1;
    public static final int OFF_ADVSKEW = 2;
    public static final int OFF_AUTHLEN = 3;
    public static final int OFF_DEMOTE = 4;
    public static final int OFF_ADVBASE = 5;
    public static final int OFF_CHECKSUM = 6;
    public static final int OFF_COUNTER = 8;
    public static final int OFF_DIGEST = 16;

    public static final int ETHERTYPE_IP = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86dd;
    /**
     * IPv6 traffic class of an advert: DSCP 56 (CS7), FreeBSD's {@code net.inet.carp.dscp} default
     * (carp-v6-unicast §4.1). Receivers do not check it.
     */
    public static final int IPV6_TRAFFIC_CLASS = 0xe0;
    /** IPTOS_LOWDELAY, what UCarp sets (ucarp-spec §1.2). */
    public static final int IPTOS_LOWDELAY = 0x10;
    /** The DF bit in the IPv4 flags/fragment word. */
    public static final int IP_DF = 0x4000;

    /**
     * UCarp keeps the password with its NUL in a 20-byte buffer, so 19 bytes is the longest
     * password that interoperates (ucarp-spec §2.1).
     */
    public static final int MAX_PASSWORD_BYTES = 19;

    /** advbase and advskew of OpenBSD's bow-out advert: "I am leaving, take over now" (ucarp-spec §4.5). */
    public static final int BOW_OUT_ADVBASE = 255;
    public static final int BOW_OUT_ADVSKEW = 255;

    /** The CARP (and VRRP) multicast group, UCarp's default {@code --mcastip}. */
    public static final Inet4Address DEFAULT_GROUP = ipv4(224, 0, 0, 18);

    /** The CARP (and VRRP) IPv6 group, ff02::12: link-local scope, group 0x12 as 224.0.0.18 (carp-v6-unicast §4.1). */
    public static final Inet6Address DEFAULT_GROUP_IPV6 = ipv6(HexFormat.of().parseHex("ff020000000000000000000000000012"));

    /** Ethernet destination of adverts with {@code --nomcast} (ucarp-spec §1.1, cap 07). */
    public static final MacAddress BROADCAST_MAC = MacAddress.BROADCAST;

    private Carp() {
    }

    /**
     * UCarp's advert source MAC {@code 00:00:5e:00:00:VHID}; not the VRRP/OpenBSD virtual MAC
     * {@code 00:00:5e:00:01:VHID} (ucarp-spec §1.1).
     */
    public static MacAddress virtualMac(int vhid) {
        checkVhid(vhid);
        return new MacAddress(0x00005e000000L | vhid);
    }

    /** The standard IPv4 multicast MAC: {@code 01:00:5e} followed by the low 23 bits of the group. */
    public static MacAddress multicastMac(Inet4Address group) {
        byte[] g = group.getAddress();
        long low23 = ((g[1] & 0x7fL) << 16) | ((g[2] & 0xffL) << 8) | (g[3] & 0xffL);
        return new MacAddress(0x01005e000000L | low23);
    }

    /** The standard IPv6 multicast MAC (RFC 2464 §7): {@code 33:33} followed by the low 32 bits of the group. */
    public static MacAddress multicastMac(Inet6Address group) {
        byte[] g = group.getAddress();
        long low32 = ((g[12] & 0xffL) << 24) | ((g[13] & 0xffL) << 16) | ((g[14] & 0xffL) << 8) | (g[15] & 0xffL);
        return new MacAddress(0x333300000000L | low32);
    }

    /** The advert's Ethernet destination: the group's multicast MAC, or broadcast with nomcast. */
    public static MacAddress destinationMac(Inet4Address group, boolean nomcast) {
        return nomcast ? BROADCAST_MAC : multicastMac(group);
    }

    /** An IPv4 address from its four octets (each 0..255). */
    public static Inet4Address ipv4(int a, int b, int c, int d) {
        return ipv4(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    /** An IPv4 address from four bytes in network order. */
    public static Inet4Address ipv4(byte[] address) {
        if (address.length != 4) {
            throw new IllegalArgumentException("IPv4 address of " + address.length + " bytes (expected: 4)");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /** An IPv4 address from its 32-bit value in network order (first octet most significant). */
    public static Inet4Address ipv4(int address) {
        return ipv4(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    }

    /** An IPv6 address from 16 bytes in network order, without a scope. */
    public static Inet6Address ipv6(byte[] address) {
        if (address.length != 16) {
            throw new IllegalArgumentException("IPv6 address of " + address.length + " bytes (expected: 16)");
        }
        try {
            return Inet6Address.getByAddress(null, address, null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** The 32-bit value of an IPv4 address, first octet most significant. */
    public static int toInt(Inet4Address address) {
        byte[] a = address.getAddress();
        return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    }

    /**
     * Parses a dotted-quad IPv4 literal without any name lookup.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Inet4Address parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected: a.b.c.d)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected: a.b.c.d)");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: " + v + " is out of range (expected: 0..255)");
            }
            bytes[i] = (byte) v;
        }
        return ipv4(bytes);
    }

    static void checkVhid(int vhid) {
        if (vhid < 1 || vhid > 255) {
            throw new IllegalArgumentException("vhid " + vhid + " is out of range (expected: 1..255)");
        }
    }
}
