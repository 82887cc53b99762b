package dev.karp.carp;

import java.util.Objects;
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
 */
public final class CarpCounter {
    private final RandomGenerator random;
    private boolean started;
    private boolean learned;
    private long counter;

    /** @param random source of the first counter before any peer advert; seeded in tests */
    public CarpCounter(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The counter for the next advert to send. */
    public long next() {
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
        learned = true;
        counter = received;
    }

    /** True once a peer's counter has been adopted. */
    public boolean learned() {
        return learned;
    }

    @Override
    public String toString() {
        return learned ? "CarpCounter[last=" + Long.toUnsignedString(counter) + "]" : "CarpCounter[random]";
    }
}
