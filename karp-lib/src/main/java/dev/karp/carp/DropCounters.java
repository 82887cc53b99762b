package dev.karp.carp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.LongAdder;

/**
 * One counter per {@link DropReason}, like carp(4)'s {@code carpstats}. Safe to increment from the
 * receive thread while another thread takes a {@link #snapshot()} for {@code karp status}.
 */
public final class DropCounters {
    private final EnumMap<DropReason, LongAdder> counters = new EnumMap<>(DropReason.class);

    public DropCounters() {
        for (DropReason r : DropReason.values()) {
            counters.put(r, new LongAdder());
        }
    }

    public void increment(DropReason reason) {
        counters.get(reason).increment();
    }

    public long get(DropReason reason) {
        return counters.get(reason).sum();
    }

    public long total() {
        long t = 0;
        for (LongAdder a : counters.values()) {
            t += a.sum();
        }
        return t;
    }

    /** Every reason with its count, in validation order; an unmodifiable copy. */
    public Map<DropReason, Long> snapshot() {
        EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        counters.forEach((r, a) -> copy.put(r, a.sum()));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        // By name, as the status and metrics key them (toString() is the log's label).
        StringJoiner j = new StringJoiner(", ", "DropCounters{", "}");
        snapshot().forEach((r, n) -> j.add(r.name() + "=" + n));
        return j.toString();
    }
}
