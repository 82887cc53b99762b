package dev.karp.carp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * A host saying it holds an address: the sender of an ARP frame (request, reply or gratuitous ARP: each makes the
 * receivers' caches point the sender's address at its MAC), or the target of an IPv6 neighbour advertisement. What
 * the daemon watches to see who answers for its VIPs (issue 16: address conflicts, a master that does not hold the
 * VIP).
 *
 * @param address the address claimed
 * @param mac     the MAC it is claimed for: the ARP sender hardware address, or the NA's Ethernet source
 * @param reply   an ARP reply or a neighbour advertisement, rather than an ARP request
 * @param target  the ARP target protocol address, or the NA's IPv6 destination
 */
public record AddressClaim(InetAddress address, MacAddress mac, boolean reply, InetAddress target) {
    private static final int ICMPV6 = 58;
    private static final int NEIGHBOR_ADVERTISEMENT = 136;

    public AddressClaim {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(target, "target");
    }

    /**
     * The claim an Ethernet frame ({@code frame.remaining()} bytes from its position, which does not move) makes:
     * an Ethernet/IPv4 ARP frame, or an IPv6 neighbour advertisement directly after the fixed header; empty for
     * anything else, and for frames too short to hold one.
     */
    public static Optional<AddressClaim> of(ByteBuffer frame) {
        ByteBuffer b = frame.slice();
        int n = b.remaining();
        if (n < CarpCodec.IP) {
            return Optional.empty();
        }
        int type = CarpCodec.u16(b, CarpCodec.ETH_TYPE);
        if (type == Carp.ETHERTYPE_ARP) {
            Decoded.ArpFrame arp = CarpCodec.decodeArp(b, n);
            if (arp == null) {
                return Optional.empty();
            }
            ArpPacket p = arp.packet();
            return Optional.of(new AddressClaim(p.senderIp(), p.senderMac(), p.opcode() == ArpPacket.REPLY,
                    p.targetIp()));
        }
        int icmp = CarpCodec.IP + Carp.IPV6_HEADER_LEN;
        if (type == Carp.ETHERTYPE_IPV6 && n >= icmp + 24 && CarpCodec.u8(b, CarpCodec.IP) >>> 4 == 6
                && CarpCodec.u8(b, CarpCodec.IP + CarpCodec.IP6_NXT) == ICMPV6
                && CarpCodec.u8(b, icmp) == NEIGHBOR_ADVERTISEMENT) {
            byte[] target = new byte[16];
            b.get(icmp + 8, target);
            byte[] dst = new byte[16];
            b.get(CarpCodec.IP + CarpCodec.IP6_DST, dst);
            return Optional.of(new AddressClaim(Carp.ipv6(target), MacAddress.of(b, CarpCodec.ETH_SRC), true,
                    Carp.ipv6(dst)));
        }
        return Optional.empty();
    }

    /** {@link #match}: {@link #of} finds no claim in the frame. */
    public static final int NO_CLAIM = 0;
    /** {@link #match}: a claim of an address that is not among those given. */
    public static final int OTHER_ADDRESS = 1;
    /** {@link #match}: a claim of one of the addresses given. */
    public static final int WATCHED = 2;

    /**
     * What {@link #of} would find, without building it: {@link #NO_CLAIM}, or whether the address claimed is one of
     * {@code ipv4s} or {@code ipv6s} (pairs of longs: the high and low 8 bytes of each address). Allocates nothing,
     * for a loop that sees every ARP frame of a flood (issue 16) and builds the claim only for the addresses it
     * watches.
     */
    public static int match(ByteBuffer frame, int[] ipv4s, long[] ipv6s) {
        int at = frame.position();
        int n = frame.remaining();
        if (n < CarpCodec.IP) {
            return NO_CLAIM;
        }
        int type = frame.getShort(at + CarpCodec.ETH_TYPE) & 0xffff;
        if (type == Carp.ETHERTYPE_ARP) {
            int arp = at + CarpCodec.IP;
            if (n < CarpCodec.IP + CarpCodec.ARP_LEN || (frame.getShort(arp) & 0xffff) != 1
                    || (frame.getShort(arp + 2) & 0xffff) != Carp.ETHERTYPE_IP || frame.get(arp + 4) != 6
                    || frame.get(arp + 5) != 4) {
                return NO_CLAIM; // as CarpCodec.decodeArp
            }
            int sender = frame.getInt(arp + 14);
            for (int a : ipv4s) {
                if (a == sender) {
                    return WATCHED;
                }
            }
            return OTHER_ADDRESS;
        }
        int icmp = CarpCodec.IP + Carp.IPV6_HEADER_LEN;
        if (type == Carp.ETHERTYPE_IPV6 && n >= icmp + 24 && (frame.get(at + CarpCodec.IP) & 0xff) >>> 4 == 6
                && (frame.get(at + CarpCodec.IP + CarpCodec.IP6_NXT) & 0xff) == ICMPV6
                && (frame.get(at + icmp) & 0xff) == NEIGHBOR_ADVERTISEMENT) {
            long hi = frame.getLong(at + icmp + 8);
            long lo = frame.getLong(at + icmp + 16);
            for (int i = 0; i + 1 < ipv6s.length; i += 2) {
                if (ipv6s[i] == hi && ipv6s[i + 1] == lo) {
                    return WATCHED;
                }
            }
            return OTHER_ADDRESS;
        }
        return NO_CLAIM;
    }

    /**
     * An ARP request for {@code who}, broadcast from {@code mac} and {@code from} (the node's own address): 42 bytes,
     * the NIC pads them. The holder of {@code who} answers with a reply to {@code from}.
     */
    public static byte[] arpRequest(MacAddress mac, Inet4Address from, Inet4Address who) {
        byte[] f = GratuitousArp.frame(mac, who);
        System.arraycopy(from.getAddress(), 0, f, 28, 4);
        // Target hardware address unknown: zeros, as the kernel asks.
        new MacAddress(0).write(f, 32);
        return f;
    }
}
