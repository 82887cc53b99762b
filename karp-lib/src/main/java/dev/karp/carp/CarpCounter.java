package dev.karp.carp;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * UCarp's advert counter (ucarp-spec §2.4): a fresh random 64-bit value for every advert until
 * a peer's advert is accepted; from then on the last accepted counter plus one per advert,
 * wrapping from 2^64-1 to 0. Not thread-safe: it is election state, owned by one thread.
 */
public final class CarpCounter {
    private final RandomGenerator random;
    private boolean learned;
    private long counter;

    /** @param random source of the counters sent before the first peer advert; seeded in tests */
    public CarpCounter(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The counter for the next advert to send. */
    public long next() {
        if (!learned) {
            return random.nextLong();
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
