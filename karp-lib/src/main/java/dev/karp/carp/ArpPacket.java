package dev.karp.carp;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * An Ethernet/IPv4 ARP packet. karp only needs it to recognise gratuitous ARPs, which carry a
 * VIP (ucarp-spec §6).
 *
 * @param ethSrc    Ethernet source
 * @param ethDst    Ethernet destination
 * @param opcode    1 = request, 2 = reply
 * @param senderMac sender hardware address
 * @param senderIp  sender protocol address
 * @param targetMac target hardware address
 * @param targetIp  target protocol address
 */
public record ArpPacket(
        MacAddress ethSrc,
        MacAddress ethDst,
        int opcode,
        MacAddress senderMac,
        Inet4Address senderIp,
        MacAddress targetMac,
        Inet4Address targetIp) {

    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    public ArpPacket {
        Objects.requireNonNull(ethSrc, "ethSrc");
        Objects.requireNonNull(ethDst, "ethDst");
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderIp, "senderIp");
        Objects.requireNonNull(targetMac, "targetMac");
        Objects.requireNonNull(targetIp, "targetIp");
    }

    /** A gratuitous ARP announces its own address: sender IP equals target IP (RFC 5227 §3). */
    public boolean isGratuitous() {
        return senderIp.equals(targetIp);
    }
}
