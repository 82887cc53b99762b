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
     * At advbase 0 the deadratio counts as at least this: a backup takes over once
     * {@code deadratio - 1} (so at least two) of the master's adverts are missing, plus a guard
     * (see {@link #subsecondMasterDownNanos}).
     */
    public static final int SUBSECOND_MIN_DEADRATIO = 3;

    /**
     * How fast the lateness a backup has seen is forgotten at advbase 0: it halves every minute, so
     * one stall keeps the guard wide for a few minutes and a quiet network narrows it again.
     */
    public static final long LATENESS_HALF_LIFE_NANOS = 60_000_000_000L;

    /** The smallest guard of {@link #subsecondMasterDownNanos}: 1/16 of an interval (3 ms at 50 ms). */
    private static final long SUBSECOND_MIN_GUARD_DIVISOR = 16;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long CLAIM_NANOS = 50_000_000L;
    private static final long NANOS_PER_MICRO = 1_000L;

    private Timing() {
    }

    /**
     * karp: how long a backup whose master-down timer expired claims the master role before it takes the VIP
     * ({@link Election}): 50 ms at advbase 1 or more, none at advbase 0, whose tuned takeover counts every millisecond
     * (and whose VIP lifetime cannot be shorter than two seconds anyway).
     */
    public static long claimNanos(int advbase) {
        return advbase == 0 ? 0 : CLAIM_NANOS;
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
     * How long a backup waits for the next advert before it takes over, when it does not follow a
     * master yet (or at advbase ≥ 1); also the bound of the "will time out" rule (ucarp-spec §4.5).
     *
     * <ul>
     *   <li>advbase ≥ 1: ucarp-spec §4.2 step 7 and §11, deadratio·advbase seconds + advskew/256
     *       seconds (the skew is not multiplied by the deadratio).
     *   <li>advbase 0: max(deadratio, 3) of the node's own advert intervals (advskew/256 s). UCarp's
     *       formula gives a single interval here, so one lost or late packet would make the backup
     *       take over. Once a backup follows a master it uses {@link #subsecondMasterDownNanos}.
     * </ul>
     */
    public static long masterDownNanos(int advbase, int advskew, int deadratio) {
        if (advbase > 0) {
            return tvNanos((long) advbase * deadratio, advskew);
        }
        return Math.max(deadratio, SUBSECOND_MIN_DEADRATIO) * tvNanos(0, advskew);
    }

    /**
     * karp's master-down rule at advbase 0 for a backup that follows a master (docs/protocol.md):
     * (max(deadratio, 3) − 1) intervals + a guard, the interval being the longer of the master's and
     * the node's own. With the default deadratio that is two intervals: one lost advert never moves
     * the VIP, two in a row do, about one interval sooner than after three.
     *
     * <p>The guard absorbs a late advert after a lost one. It is twice the lateness this backup has
     * seen lately (see {@link ArrivalLateness}), at least 1/16 of an interval and at most one whole
     * interval, so a quiet network gets the fast takeover and a busy one (late adverts) the tolerance
     * of {@link #masterDownNanos}. Using the longer interval keeps backups ordered by their advskew:
     * the next one in line takes over two of its own (shorter) intervals before the one after it.
     *
     * @param masterIntervalNanos the advert interval of the master being followed
     * @param ownIntervalNanos the node's own advert interval (with its current advskew)
     * @param peakLatenessNanos how late the master's adverts have arrived lately, ≥ 0
     */
    public static long subsecondMasterDownNanos(long masterIntervalNanos, long ownIntervalNanos, int deadratio,
            long peakLatenessNanos) {
        long interval = Math.max(masterIntervalNanos, ownIntervalNanos);
        long guard = Math.min(interval, Math.max(interval / SUBSECOND_MIN_GUARD_DIVISOR, 2 * peakLatenessNanos));
        return (Math.max(deadratio, SUBSECOND_MIN_DEADRATIO) - 1L) * interval + guard;
    }

    /**
     * Compares two advert intervals: negative when the first node advertises more often (is
     * preferred). ucarp-spec §4.1: comparing tv values is comparing advbase·256 + advskew.
     */
    public static int compareTv(int advbase1, int advskew1, int advbase2, int advskew2) {
        return Integer.compare(advbase1 * 256 + advskew1, advbase2 * 256 + advskew2);
    }
}
