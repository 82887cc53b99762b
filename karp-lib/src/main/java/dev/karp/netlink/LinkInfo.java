package dev.karp.netlink;

import java.util.Arrays;

/**
 * What RTM_NEWLINK says about one interface.
 *
 * @param index           ifi_index
 * @param name            IFLA_IFNAME
 * @param flags           ifi_flags ({@link Rtnetlink#IFF_UP}, {@link Rtnetlink#IFF_RUNNING}, ...)
 * @param hardwareAddress IFLA_ADDRESS (6 bytes on Ethernet; empty when absent)
 */
public record LinkInfo(int index, String name, int flags, byte[] hardwareAddress) {

    public LinkInfo {
        hardwareAddress = hardwareAddress.clone();
    }

    @Override
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    /** IFF_UP: administratively up ({@code ip link set up}). */
    public boolean isUp() {
        return (flags & Rtnetlink.IFF_UP) != 0;
    }

    /** IFF_RUNNING: up with carrier, the bit UCarp polls (ucarp-spec §4.8). */
    public boolean isRunning() {
        return (flags & Rtnetlink.IFF_RUNNING) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkInfo l && index == l.index && name.equals(l.name) && flags == l.flags
                && Arrays.equals(hardwareAddress, l.hardwareAddress);
    }

    @Override
    public int hashCode() {
        return (index * 31 + name.hashCode()) * 31 + flags;
    }

    @Override
    public String toString() {
        return "LinkInfo[index=" + index + ", name=" + name + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
