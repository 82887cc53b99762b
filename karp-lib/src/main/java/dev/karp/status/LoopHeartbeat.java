package dev.karp.status;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * "Is the daemon loop still turning?" for {@code GET /healthz}: the loop calls {@link #beat()} on every
 * iteration; the check passes while the last beat is at most {@code maxSilence} old. Before the first beat it
 * fails. The loop writes, the status thread reads, so the time is volatile.
 */
public final class LoopHeartbeat implements BooleanSupplier {
    private final long maxSilenceNanos;
    private final LongSupplier nanoTime;
    private volatile long lastBeatNanos;
    private volatile boolean beaten;

    /**
     * @param maxSilence the longest gap between iterations that still counts as alive
     * @param nanoTime   the monotonic clock ({@code System::nanoTime} in the daemon)
     */
    public LoopHeartbeat(Duration maxSilence, LongSupplier nanoTime) {
        this.maxSilenceNanos = maxSilence.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Records that the loop ran now. */
    public void beat() {
        lastBeatNanos = nanoTime.getAsLong();
        beaten = true;
    }

    @Override
    public boolean getAsBoolean() {
        return beaten && nanoTime.getAsLong() - lastBeatNanos <= maxSilenceNanos;
    }
}
