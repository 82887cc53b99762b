package dev.karp.election;

/**
 * The ucarp-spec §4.1 interval formulas in monotonic nanoseconds. This is the only place that
 * turns advbase, advskew and deadratio into durations; {@link Election} keeps deadlines, no sleeps.
 */
public final class Timing {

    /**
     * The advskew a node advertises and compares with while it is demoted (health check failed) or
     * while send errors are suppressed, if its own advskew is lower. ucarp-spec §4.10 (UCarp's
     * {@code CARP_BULK_UPDATE_MIN_DELAY}).
     */
    public static final int DEMOTED_ADVSKEW = 240;

    /**
     * The advbase and advskew of a bow-out advert: OpenBSD carp(4) sends it when the carp
     * interface goes down, and UCarp's backups take over at once on receiving it through the
     * "will time out" rule (ucarp-spec §4.5, §8, cap 15).
     */
    public static final int BOW_OUT_ADVBASE = 255;

    /** See {@link #BOW_OUT_ADVBASE}. */
    public static final int BOW_OUT_ADVSKEW = 255;

    /**
     * At advbase 0 a backup waits at least this many of its own advert intervals before it takes
     * over, whatever the deadratio (karp's rule, see {@link #masterDownNanos}).
     */
    public static final int SUBSECOND_MIN_DEADRATIO = 3;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MICRO = 1_000L;

    private Timing() {
    }

    /**
     * ucarp-spec §4.1: tv(a, s) = a seconds + floor(s·10^6/256) microseconds. UCarp truncates the
     * skew to whole microseconds; keeping that makes comparisons of tv values agree with UCarp's
     * {@code timercmp} exactly.
     *
     * @param seconds whole seconds (advbase, or advbase·deadratio for the master-down interval)
     * @param advskew 0..255
     */
    public static long tvNanos(long seconds, int advskew) {
        return seconds * NANOS_PER_SECOND + (advskew * 1_000_000L / 256) * NANOS_PER_MICRO;
    }

    /** ucarp-spec §4.4: a master advertises every advbase + advskew/256 seconds. */
    public static long advertIntervalNanos(int advbase, int advskew) {
        return tvNanos(advbase, advskew);
    }

    /**
     * How long a backup waits for the next advert before it takes over.
     *
     * <ul>
     *   <li>advbase ≥ 1: ucarp-spec §4.2 step 7 and §11, deadratio·advbase seconds + advskew/256
     *       seconds (the skew is not multiplied by the deadratio).
     *   <li>advbase 0 (karp's rule; docs/protocol.md): max(deadratio, 3) advert intervals, the
     *       interval being advskew/256 seconds. UCarp's formula gives a single interval here, so one
     *       lost or late packet makes the backup take over; three intervals tolerate one lost advert
     *       with a whole interval to spare for delay, and keep the order of backups by advskew.
     * </ul>
     */
    public static long masterDownNanos(int advbase, int advskew, int deadratio) {
        if (advbase > 0) {
            return tvNanos((long) advbase * deadratio, advskew);
        }
        return Math.max(deadratio, SUBSECOND_MIN_DEADRATIO) * tvNanos(0, advskew);
    }

    /**
     * Compares two advert intervals: negative when the first node advertises more often (is
     * preferred). ucarp-spec §4.1: comparing tv values is comparing advbase·256 + advskew.
     */
    public static int compareTv(int advbase1, int advskew1, int advbase2, int advskew2) {
        return Integer.compare(advbase1 * 256 + advskew1, advbase2 * 256 + advskew2);
    }
}
