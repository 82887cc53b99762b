package dev.karp.daemon;

/**
 * Tells the second copy of a dual-stack advert from a new one. A dual-stack node sends each advert twice, over IPv4
 * and over IPv6, with the same counter, and the election must count it once (the Ethernet source, CARP's virtual
 * MAC, is the same for every node, so the counter and the family are all there is to go by). The copies need
 * not arrive back to back: when a master bows out and two backups take over at once, the winner's advert can come
 * between the two copies of the bow-out, and taking the late copy for a new bow-out made the backup that had just
 * yielded take over again (a chaos round's client lost the VIP). So the last few adverts are remembered, not only
 * the last one. Pure; the daemon loop owns it.
 */
final class DualStackTwins {
    /** Adverts remembered: a few nodes' worth of one round. */
    static final int REMEMBERED = 8;

    private final long[] counters = new long[REMEMBERED];
    private final boolean[] ipv6 = new boolean[REMEMBERED];
    private final long[] nanos = new long[REMEMBERED];
    private int size;
    private int next;

    /**
     * An accepted advert.
     *
     * @param withinNanos how long after the first copy a second one still counts as a copy (half the advert's
     *                    interval: the sender's next advert comes a whole interval later)
     * @return true if it is the other family's copy of an advert seen within {@code withinNanos}
     */
    boolean isTwin(long counter, boolean isIpv6, long now, long withinNanos) {
        for (int i = 0; i < size; i++) {
            if (counters[i] == counter && ipv6[i] != isIpv6 && now - nanos[i] < withinNanos) {
                // Matched once: a third copy would be a replay, not a twin.
                nanos[i] = now - withinNanos;
                return true;
            }
        }
        counters[next] = counter;
        ipv6[next] = isIpv6;
        nanos[next] = now;
        next = (next + 1) % REMEMBERED;
        size = Math.min(size + 1, REMEMBERED);
        return false;
    }
}
