package dev.karp.carp;

import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * The last few adverts this node sent, to tell one of them seen again (a network that loops multicast back) from
 * a frame that only claims our source address (issue 16: forged adverts in our name). The capture passes no frame
 * we send ourselves, and our adverts carry the vhid's virtual MAC as every node's do, so neither the direction nor
 * the Ethernet source tells them apart; the counter, advbase and advskew of what we sent do. A replay of our latest
 * advert, unchanged, passes as ours: it says nothing we did not say.
 *
 * <p>Not thread-safe: the daemon loop that sends and receives owns it.
 */
public final class OwnAdverts implements Predicate<ByteBuffer> {
    /** Adverts remembered: a looped-back copy arrives within microseconds, long before the next is sent. */
    static final int KEPT = 4;

    private final long[] counters = new long[KEPT];
    private final int[] timing = new int[KEPT];
    private int size;
    private int next;

    /** Remembers an advert just sent. */
    public void sent(long counter, int advbase, int advskew) {
        counters[next] = counter;
        timing[next] = advbase << 8 | advskew;
        next = (next + 1) % KEPT;
        size = Math.min(KEPT, size + 1);
    }

    /**
     * True if {@code frame} (an Ethernet frame from its position, not moved) carries a CARP header with the counter,
     * advbase and advskew of one of the last adverts sent; false for anything else, including frames too short to
     * hold a CARP header.
     */
    @Override
    public boolean test(ByteBuffer frame) {
        // A frame at position 0 needs no slice (issue 16: nothing allocated per frame under a flood).
        ByteBuffer b = frame.position() == 0 && frame.order() == java.nio.ByteOrder.BIG_ENDIAN ? frame : frame.slice();
        int n = b.remaining();
        if (n < CarpCodec.MIN_IP_FRAME) {
            return false;
        }
        int carp;
        int type = CarpCodec.u16(b, CarpCodec.ETH_TYPE);
        if (type == Carp.ETHERTYPE_IP) {
            carp = CarpCodec.IP + CarpCodec.ipHeaderLength(b);
        } else if (type == Carp.ETHERTYPE_IPV6) {
            carp = CarpCodec.IP + Carp.IPV6_HEADER_LEN;
        } else {
            return false;
        }
        if (n < carp + Carp.CARP_HEADER_LEN) {
            return false;
        }
        long counter = b.getLong(carp + Carp.OFF_COUNTER);
        int t = CarpCodec.u8(b, carp + Carp.OFF_ADVBASE) << 8 | CarpCodec.u8(b, carp + Carp.OFF_ADVSKEW);
        for (int i = 0; i < size; i++) {
            if (counters[i] == counter && timing[i] == t) {
                return true;
            }
        }
        return false;
    }
}
