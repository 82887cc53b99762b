package dev.karp.carp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The replay check of strict adverts (docs/protocol.md, "Counters and replays"): per source address, the highest
 * counter accepted and the last {@value #KEPT} accepted below it. An advert is accepted when its counter is above
 * the highest, or (reordering) at most {@code window} below it and not accepted before; otherwise it is a replay.
 * Counters compare as unsigned 64-bit numbers. Strict senders count from their wall clock in nanoseconds since the
 * epoch ({@link CarpCounter#strict}), so a restarted node continues above its old counters by itself.
 *
 * <p>The first advert of a source this node has not heard yet must not be more than {@code staleAfter} behind this
 * node's wall clock: a node that starts does not take a replay of adverts recorded long ago for a live master.
 * Only sources whose strict digest verified get here, so an attacker cannot fill the table; it keeps the
 * {@value #MAX_SOURCES} sources heard last. Synchronized: the loop thread checks, any thread may read.
 */
public final class ReplayWindow {
    /** Accepted counters kept per source below the highest, for reordering inside the window. */
    static final int KEPT = 16;
    static final int MAX_SOURCES = 256;
    /** The default for a first advert: how far behind our clock the sender's may be (clocks without NTP drift). */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);

    private final long window;
    private final long staleAfter;
    private final LongSupplier wallNanos;
    private final Map<InetAddress, Source> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Source> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    /**
     * @param window     how far (in counter units, nanoseconds) below the highest counter a late advert may be:
     *                   about one advert interval
     * @param staleAfter how far behind {@code wallNanos} the first advert of a source may be
     * @param wallNanos  this node's wall clock, nanoseconds since the epoch
     */
    public ReplayWindow(Duration window, Duration staleAfter, LongSupplier wallNanos) {
        this.window = window.toNanos();
        this.staleAfter = staleAfter.toNanos();
        this.wallNanos = Objects.requireNonNull(wallNanos, "wallNanos");
        if (this.window < 0 || this.staleAfter < 0) {
            throw new IllegalArgumentException("negative replay window " + window + " or staleness " + staleAfter);
        }
    }

    /** The wall clock as strict counters count it: nanoseconds since the epoch. */
    public static long epochNanos(java.time.Clock clock) {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** True, and remembered, when {@code counter} from {@code source} is new; false for a replay. */
    public synchronized boolean accept(InetAddress source, long counter) {
        Source s = sources.get(source);
        if (s == null) {
            long wall = wallNanos.getAsLong();
            long floor = Long.compareUnsigned(wall, staleAfter) < 0 ? 0 : wall - staleAfter;
            if (Long.compareUnsigned(counter, floor) < 0) {
                return false;
            }
            sources.put(source, new Source(counter));
            return true;
        }
        return s.accept(counter, window);
    }

    /**
     * The highest counter accepted from {@code source}, for the drop message; {@link AdvertChain#REPLAY_STALE}
     * when none was (its first advert was stale).
     */
    public synchronized long highest(InetAddress source) {
        Source s = sources.get(source);
        return s == null ? AdvertChain.REPLAY_STALE : s.highest;
    }

    private static final class Source {
        private long highest;
        private final long[] recent = new long[KEPT];
        private int kept;

        Source(long first) {
            highest = first;
        }

        boolean accept(long c, long window) {
            if (Long.compareUnsigned(c, highest) > 0) {
                keep(highest);
                highest = c;
                return true;
            }
            if (c == highest || Long.compareUnsigned(highest - c, window) > 0) {
                return false;
            }
            int min = 0;
            for (int i = 0; i < kept; i++) {
                if (recent[i] == c) {
                    return false;
                }
                if (Long.compareUnsigned(recent[i], recent[min]) < 0) {
                    min = i;
                }
            }
            // Full: anything below the oldest kept may have been accepted and forgotten.
            if (kept == KEPT && Long.compareUnsigned(c, recent[min]) < 0) {
                return false;
            }
            keep(c);
            return true;
        }

        /** Keeps {@code c}, forgetting the smallest kept counter when full. */
        private void keep(long c) {
            if (kept < KEPT) {
                recent[kept++] = c;
                return;
            }
            int min = 0;
            for (int i = 1; i < KEPT; i++) {
                if (Long.compareUnsigned(recent[i], recent[min]) < 0) {
                    min = i;
                }
            }
            if (Long.compareUnsigned(c, recent[min]) > 0) {
                recent[min] = c;
            }
        }
    }
}
