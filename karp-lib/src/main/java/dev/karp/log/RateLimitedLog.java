package dev.karp.log;

import dev.karp.time.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lets through at most {@code limit} lines per {@code interval} for each reason and counts the rest, then
 * writes one summary line per reason: {@code suppressed 57 more 'bad HMAC' warnings (limit 5 per minute)}.
 * ucarp-spec §7 item 13: UCarp logs every bad packet, so one misconfigured peer floods syslog.
 *
 * <p>Pure: time is passed in (monotonic nanoseconds) and lines go to the sink given. Not thread-safe; the
 * daemon loop that receives packets owns it. Callers count every drop elsewhere (DropCounters); this only
 * decides what is written.
 *
 * @param <K> the reason, e.g. a DropReason; its {@code toString()} names it in the summary
 */
public final class RateLimitedLog<K> {
    private final int limit;
    private final long intervalNanos;
    private final String intervalText;
    private final Consumer<String> sink;
    private final Map<K, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        long startNanos;
        int written;
        long suppressed;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /**
     * @param limit    lines written per reason per interval, at least 1
     * @param interval the window length
     * @param sink     receives each line to write (e.g. a logger's warning method)
     */
    public RateLimitedLog(int limit, Duration interval, Consumer<String> sink) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " is out of range (expected: 1 or more)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval " + interval + " must be positive");
        }
        this.limit = limit;
        this.intervalNanos = interval.toNanos();
        this.intervalText = interval.equals(Duration.ofMinutes(1)) ? "minute" : Durations.format(interval);
        this.sink = sink;
    }

    /**
     * Writes the line unless this reason already had {@code limit} lines in the current interval. A window that
     * has ended is summarised first.
     *
     * @param line built only if it is written
     * @return whether the line was written
     */
    public boolean log(K reason, long nowNanos, Supplier<String> line) {
        if (admit(reason, nowNanos)) {
            sink.accept(line.get());
            return true;
        }
        return false;
    }

    /**
     * As {@link #log}, for a caller that builds the line only once it knows it is written (and allocates nothing
     * otherwise, not even a lambda): true if a line for this reason may be written now, which the caller then does
     * with {@link #write}; false if it was counted as suppressed.
     */
    public boolean admit(K reason, long nowNanos) {
        Window w = windows.get(reason);
        if (w != null && nowNanos - w.startNanos >= intervalNanos) {
            summarise(reason, w);
            windows.remove(reason);
            w = null;
        }
        if (w == null) {
            w = new Window(nowNanos);
            windows.put(reason, w);
        }
        if (w.written < limit) {
            w.written++;
            return true;
        }
        w.suppressed++;
        return false;
    }

    /** Writes a line {@link #admit} let through. */
    public void write(String line) {
        sink.accept(line);
    }

    /**
     * Summarises and closes every window that has ended, so a flood that stops is still reported. Call it from
     * the daemon loop now and then (once per advertisement interval is plenty).
     */
    public void tick(long nowNanos) {
        var it = windows.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (nowNanos - e.getValue().startNanos >= intervalNanos) {
                summarise(e.getKey(), e.getValue());
                it.remove();
            }
        }
    }

    private void summarise(K reason, Window w) {
        if (w.suppressed > 0) {
            sink.accept("suppressed " + w.suppressed + " more '" + reason + "' warning" + (w.suppressed == 1 ? "" : "s")
                    + " (limit " + limit + " per " + intervalText + ")");
        }
    }
}
