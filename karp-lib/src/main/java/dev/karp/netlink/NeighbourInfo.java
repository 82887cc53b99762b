package dev.karp.netlink;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One entry of the kernel's neighbour table (ARP for IPv4, NDP for IPv6), as RTM_NEWNEIGH reports it.
 *
 * @param index   ndm_ifindex, the interface
 * @param address NDA_DST, the neighbour's IP address
 * @param mac     NDA_LLADDR, its link-layer address; empty while unresolved (INCOMPLETE, FAILED)
 * @param state   ndm_state, {@link Rtnetlink#NUD_REACHABLE} and the other NUD_* bits
 */
public record NeighbourInfo(int index, InetAddress address, Optional<byte[]> mac, int state) {

    /** States whose MAC the kernel itself would send to: confirmed, or not yet re-confirmed but not failed. */
    private static final int USABLE = Rtnetlink.NUD_REACHABLE | Rtnetlink.NUD_STALE | Rtnetlink.NUD_DELAY
            | Rtnetlink.NUD_PROBE | Rtnetlink.NUD_PERMANENT;

    /** True when the entry has a MAC the kernel would use (REACHABLE, STALE, DELAY, PROBE, PERMANENT). */
    public boolean isUsable() {
        return (state & USABLE) != 0 && mac.isPresent() && mac.get().length > 0;
    }
}
