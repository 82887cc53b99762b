package dev.karp.carp;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The advert counter (ucarp-spec §2.4): from a random 64-bit start, one more per advert, wrapping
 * from 2^64-1 to 0; once a peer's advert is accepted, that counter plus one per advert.
 *
 * <p>One deliberate difference from UCarp: UCarp draws a fresh random counter for every advert
 * until it accepts a peer's, so a master that never heard a peer sends unrelated numbers forever.
 * karp counts from its random start instead, so that a backup can tell one lost advert from a late
 * one ({@code ArrivalLateness} in the election). No receiver checks the counter, UCarp included,
 * so this changes nothing on the wire that anyone acts on. Not thread-safe: it is election state,
 * owned by one thread.
 *
 * <p>{@link #strict} counters ({@code --auth strict}, {@code migrate}) follow other rules, so that receivers can
 * reject replays (docs/protocol.md, "Counters and replays"): each advert's counter is the largest of the last one
 * plus one, the wall clock in nanoseconds since the epoch, and the largest strict counter heard from a peer plus
 * one. A restarted node therefore continues above its old counters, and above the old counters of every node it
 * hears, even when its own clock went back.
 */
public final class CarpCounter {
    private final RandomGenerator random;
    /** Strict counters: the wall clock in nanoseconds since the epoch; null for UCarp's counters. */
    private final LongSupplier wallNanos;
    private boolean started;
    private boolean learned;
    private long counter;
    /** Strict: the largest counter heard from a peer. */
    private long heard;

    private static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /** @param random source of the first counter before any peer advert; seeded in tests */
    public CarpCounter(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        this.wallNanos = null;
    }

    private CarpCounter(LongSupplier wallNanos) {
        this.random = null;
        this.wallNanos = Objects.requireNonNull(wallNanos, "wallNanos");
    }

    /** Strict counters, on this wall clock (nanoseconds since the epoch). */
    public static CarpCounter strict(LongSupplier wallNanos) {
        return new CarpCounter(wallNanos);
    }

    /** True for strict counters. */
    public boolean isStrict() {
        return wallNanos != null;
    }

    /** The counter for the next advert to send. */
    public long next() {
        if (wallNanos != null) {
            long candidate = started ? counter + 1 : 0;
            counter = max(max(candidate, wallNanos.getAsLong()), learned ? heard + 1 : 0);
            started = true;
            return counter;
        }
        if (!started && !learned) {
            started = true;
            counter = random.nextLong();
            return counter;
        }
        counter++;
        return counter;
    }

    /**
     * Adopts the counter of an accepted advert, so the next own advert carries it plus one. The
     * counter is not compared with anything: UCarp has no replay check, and a peer's counter
     * may go backwards (ucarp-spec §11).
     */
    public void learn(long received) {
        if (wallNanos != null) {
            // Strict: only ever forward, and only from strict adverts (the caller's part): a forgeable UCarp
            // counter of 2^64-1 would otherwise make every later advert of ours look like a replay.
            heard = learned ? max(heard, received) : received;
            learned = true;
            return;
        }
        learned = true;
        counter = received;
    }

    /** True once a peer's counter has been adopted. */
    public boolean learned() {
        return learned;
    }

    @Override
    public String toString() {
 if (wallNanos != null) {
            return "CarpCounter[strict, last=" + Long.toUnsignedString(counter) + "]";
        }
        return learned ? "CarpCounter[last=" + Long.toUnsignedString(counter) + "]" : "CarpCounter[random]";
    }
}
