package dev.karp.carp;

import java.net.Inet6Address;

/**
 * The unsolicited Neighbor Advertisement (RFC 4861 §4.4, §7.2.6) a new master sends once per
 * IPv6 VIP, the IPv6 counterpart of {@link GratuitousArp} (carp-v6-unicast §4.4): to all nodes
 * (ff02::1 at 33:33:00:00:00:01), from the interface's link-local address with hop limit 255,
 * flags Override only (not Solicited, not Router), the VIP as target and a Target Link-Layer
 * Address option with the NIC's own MAC. Neighbours replace their cache entry for the VIP with
 * that MAC at once, which the Override flag is for; without it they keep the old master's MAC
 * until it goes stale. The NIC's MAC rather than the CARP virtual MAC, because Linux answers
 * Neighbor Solicitations for the VIP with the NIC's MAC, as it answers ARP for an IPv4 VIP.
 * 86 bytes, no padding.
 */
public final class NeighborAdvertisement {
    public static final int FRAME_LEN = Carp.ETHER_HEADER_LEN + Carp.IPV6_HEADER_LEN + 32;
    /** ICMPv6 Neighbor Advertisement. */
    public static final int ICMPV6_TYPE = 136;
    /** The Override flag, alone, as the first word after the checksum. */
    public static final int FLAGS_OVERRIDE = 0x20000000;
    /** ff02::1, all nodes on the link. */
    public static final Inet6Address ALL_NODES = Carp.ipv6(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    static final int IPPROTO_ICMPV6 = 58;
    /** NDP option type: Target Link-Layer Address. */
    static final int OPTION_TLLA = 2;

    private static final int ICMP = Carp.ETHER_HEADER_LEN + Carp.IPV6_HEADER_LEN;
    private static final int ICMP_LEN = FRAME_LEN - ICMP;

    private NeighborAdvertisement() {
    }

    /**
     * The frame announcing {@code vip} at {@code nicMac}.
     *
     * @param nicMac    the NIC's own MAC: the Ethernet source and the advertised link-layer address
     * @param linkLocal the interface's link-local address, the IPv6 source
     * @param vip       the target: the IPv6 VIP this node now holds
     */
    public static byte[] frame(MacAddress nicMac, Inet6Address linkLocal, Inet6Address vip) {
        byte[] f = new byte[FRAME_LEN];
        Carp.multicastMac(ALL_NODES).write(f, 0);
        nicMac.write(f, 6);
        f[12] = (byte) (Carp.ETHERTYPE_IPV6 >>> 8);
        f[13] = (byte) Carp.ETHERTYPE_IPV6;

        int ip = Carp.ETHER_HEADER_LEN;
        f[ip] = 0x60; // version 6, traffic class 0, flow label 0
        f[ip + 4] = 0;
        f[ip + 5] = (byte) ICMP_LEN;
        f[ip + 6] = (byte) IPPROTO_ICMPV6;
        f[ip + 7] = (byte) 255; // RFC 4861 §7.1.2: receivers drop NAs with any other hop limit
        System.arraycopy(linkLocal.getAddress(), 0, f, ip + 8, 16);
        System.arraycopy(ALL_NODES.getAddress(), 0, f, ip + 24, 16);

        f[ICMP] = (byte) ICMPV6_TYPE;
        f[ICMP + 1] = 0; // code
        f[ICMP + 4] = (byte) (FLAGS_OVERRIDE >>> 24);
        System.arraycopy(vip.getAddress(), 0, f, ICMP + 8, 16);
        f[ICMP + 24] = (byte) OPTION_TLLA;
        f[ICMP + 25] = 1; // length in units of 8 bytes
        nicMac.write(f, ICMP + 26);

        int sum = InetChecksum.finish(InetChecksum.sum(f, ICMP, ICMP_LEN, pseudoHeaderSum(f, ip, ICMP_LEN)));
        f[ICMP + 2] = (byte) (sum >>> 8);
        f[ICMP + 3] = (byte) sum;
        return f;
    }

    /** RFC 8200 §8.1: source, destination, upper-layer length (32 bits) and next header (32 bits, zero-padded). */
    private static long pseudoHeaderSum(byte[] f, int ip, int length) {
        return InetChecksum.sum(f, ip + 8, 32, 0) + length + IPPROTO_ICMPV6;
    }
}
