package dev.karp.carp;

import java.net.Inet4Address;

/**
 * UCarp's gratuitous ARP (ucarp-spec §6): one 42-byte ARP request, broadcast, from the NIC's
 * real MAC, announcing the VIP, with the target hardware address equal to the sender's.
 * No padding: the NIC pads to 60 bytes.
 */
public final class GratuitousArp {
    public static final int FRAME_LEN = 42;

    private GratuitousArp() {
    }

    public static byte[] frame(byte[] nicMac, Inet4Address vip) {
        return frame(MacAddress.of(nicMac), vip);
    }

    public static byte[] frame(MacAddress nicMac, Inet4Address vip) {
        byte[] f = new byte[FRAME_LEN];
        MacAddress.BROADCAST.write(f, 0);
        nicMac.write(f, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        // htype Ethernet, ptype IPv4, hlen 6, plen 4, opcode 1 (request)
        byte[] fixed = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01};
        System.arraycopy(fixed, 0, f, 14, fixed.length);
        byte[] ip = vip.getAddress();
        nicMac.write(f, 22);
        System.arraycopy(ip, 0, f, 28, 4);
        // The target MAC is the sender's own, not zeros or broadcast, as UCarp sends it.
        nicMac.write(f, 32);
        System.arraycopy(ip, 0, f, 38, 4);
        return f;
    }
}
