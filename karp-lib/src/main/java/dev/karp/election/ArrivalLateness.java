package dev.karp.election;

import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * How late the adverts of the followed master have arrived lately, as one backup sees them: the
 * largest lateness, halving every {@link Timing#LATENESS_HALF_LIFE_NANOS}. Pure: arrival times are
 * passed in.
 *
 * <p>A master keeps its advert cadence (a late advert does not shift the ones after it), so an
 * arrival's lateness is its distance after the last advert plus the number of intervals the master
 * advertised in between. That number comes from the advert counter when the master counts (karp
 * does, and UCarp once it has accepted a peer's advert; ucarp-spec §2.4). Otherwise it is guessed
 * from the gap: 1¾ intervals or more count as a lost advert, so an advert more than ¾ of an
 * interval late without a loss is missed, and one early after a loss is overrated (a wider guard).
 */
final class ArrivalLateness {

    /** A counter step larger than this is a jump (the master adopted a peer's counter), not losses. */
    private static final long MAX_COUNTED_STEP = 16;

    private InetAddress lastFrom;
    private long lastIntervalNanos;
    private long lastAtNanos;
    private OptionalLong lastCounter = OptionalLong.empty();

    private long peakNanos;
    private long peakAtNanos;

    /**
     * One advert from {@code from}, advertising every {@code intervalNanos} with {@code counter} (if
     * known), arrived at {@code nowNanos}.
     */
    void arrived(long nowNanos, InetAddress from, long intervalNanos, OptionalLong counter) {
        if (from.equals(lastFrom) && intervalNanos == lastIntervalNanos && intervalNanos > 0) {
            long gap = nowNanos - lastAtNanos;
            long intervals = countedIntervals(counter).orElse(Math.max(1, (gap + intervalNanos / 4) / intervalNanos));
            long late = gap - intervals * intervalNanos;
            if (late > peakNanos(nowNanos)) {
                peakNanos = late;
                peakAtNanos = nowNanos;
            }
        }
        lastFrom = from;
        lastIntervalNanos = intervalNanos;
        lastAtNanos = nowNanos;
        lastCounter = counter;
    }

    /** The next arrival starts a new series (a new master, or none after a takeover or link loss). */
    void restart() {
        lastFrom = null;
    }

    /** The peak lateness, decayed to {@code nowNanos}; 0 when none was seen. */
    long peakNanos(long nowNanos) {
        if (peakNanos <= 0) {
            return 0;
        }
        double halvings = Math.max(0, nowNanos - peakAtNanos) / (double) Timing.LATENESS_HALF_LIFE_NANOS;
        return (long) (peakNanos * Math.pow(0.5, halvings));
    }

    private OptionalLong countedIntervals(OptionalLong counter) {
        if (counter.isEmpty() || lastCounter.isEmpty()) {
            return OptionalLong.empty();
        }
        long step = counter.getAsLong() - lastCounter.getAsLong(); // wraps like the counter itself
        return step >= 1 && step <= MAX_COUNTED_STEP ? OptionalLong.of(step) : OptionalLong.empty();
    }
}
