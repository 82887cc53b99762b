package dev.karp.sim;

import java.time.Duration;

/**
 * Monotonic nanoseconds that only move when the {@link SimulatedLan} that owns them advances. Like
 * {@code System.nanoTime()}, only differences matter, so a clock may start anywhere, including just
 * before the counter wraps.
 */
public final class VirtualClock {

    private final long startNanos;
    private long nowNanos;

    /** A clock that starts at 0. */
    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        this.startNanos = startNanos;
        this.nowNanos = startNanos;
    }

    public long nanoTime() {
        return nowNanos;
    }

    /** Virtual time since the clock was made. */
    public Duration elapsed() {
        return Duration.ofNanos(nowNanos - startNanos);
    }

    long startNanos() {
        return startNanos;
    }

    void advanceTo(long nanos) {
        if (nanos - nowNanos < 0) {
            throw new IllegalStateException("virtual time cannot go back: " + nanos + " < " + nowNanos);
        }
        nowNanos = nanos;
    }
}
