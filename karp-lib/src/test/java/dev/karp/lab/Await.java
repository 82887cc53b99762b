package dev.karp.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting for a condition in real-network tests: never sleeps longer than asked and
 * never loops forever. Not a timing assertion: the limit is generous, only the outcome counts.
 */
public final class Await {

    private static final Duration STEP = Duration.ofMillis(50);

    private Await() {
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code limit} passed; returns the last answer. */
    public static boolean until(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            sleep(Math.min(left, STEP.toNanos()));
        }
    }

    /** True when {@code condition} holds at every check for the whole of {@code period}. */
    public static boolean holdsFor(Duration period, BooleanSupplier condition) {
        long deadline = System.nanoTime() + period.toNanos();
        while (true) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            sleep(Math.min(left, STEP.toNanos()));
        }
    }

    /**
     * True once {@code condition} has held at every check for {@code period} without a break,
     * if that happens before {@code limit}; for outcomes that flap before they settle (two
     * ucarps both master for a moment at start).
     */
    public static boolean untilStable(Duration limit, Duration period, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        long since = -1;
        while (true) {
            long now = System.nanoTime();
            if (condition.getAsBoolean()) {
                if (since < 0) {
                    since = now;
                }
                if (now - since >= period.toNanos()) {
                    return true;
                }
            } else {
                since = -1;
            }
            long left = deadline - now;
            if (left <= 0) {
                return false;
            }
            sleep(Math.min(left, STEP.toNanos()));
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
