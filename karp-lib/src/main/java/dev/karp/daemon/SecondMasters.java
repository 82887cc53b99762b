package dev.karp.daemon;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Two masters of the vhid heard at once (issue 16, item 5): CARP backups are silent, so two sources that keep
 * advertising side by side are two masters, a split brain; so is another source that keeps advertising while this
 * node is MASTER (it does not hear our adverts, or rejects them). The rule of {@code karp sniff}'s split-brain
 * warning ({@code SniffAlerts}, which the engine may not depend on): each of the two has sent at least
 * {@link #ADVERTS} adverts since the later of them began advertising, and the other advertised between its last
 * two. That leaves out a clean preemption (the yielding master sends one advert after the new master's first) and
 * two nodes starting together (both master for an interval or so before one yields).
 *
 * <p>Pure: accepted adverts and the time in, findings out. Not thread-safe: the daemon loop owns it.
 */
final class SecondMasters {
    /** Adverts each of two sources must send during their overlap. */
    static final int ADVERTS = 3;
    /** A source silent for this many of its intervals (halves) stopped advertising. */
    private static final int GAP_HALF_INTERVALS = 5;
    private static final long MIN_GAP_NANOS = 200_000_000L;

    private final Map<InetAddress, Run> runs = new LinkedHashMap<>();
    private final Set<String> counted = new HashSet<>();
    private long episodes;
    private long nextRunId;
    private String current;
    private long currentUntilNanos;

    /**
     * An accepted advert.
     *
     * @param intervalNanos the interval it advertises
     * @param bowOut        a bow-out (advbase and advskew 255): the source stops being master
     * @param masterSince   when this node became MASTER, or null when it is not MASTER
     * @return a description of the two masters when this advert shows them, else empty
     */
    Optional<String> advert(InetAddress src, long now, long intervalNanos, boolean bowOut, Long masterSince) {
        // Sources long silent are forgotten: forged adverts from ever new addresses must not grow the map.
        runs.values().removeIf(r -> now - r.last > 4 * r.gap);
        Run run = runs.get(src);
        if (run != null && now - run.last > run.gap) {
            run = null;
        }
        if (bowOut) {
            runs.remove(src);
            return Optional.empty();
        }
        if (run == null) {
            run = new Run(nextRunId++, now);
            runs.put(src, run);
        }
        long previous = run.recent.isEmpty() ? Long.MIN_VALUE : run.recent.peekLast();
        run.advert(now, Math.max(MIN_GAP_NANOS, intervalNanos * GAP_HALF_INTERVALS / 2));
        if (masterSince != null && run.advertsSince(Math.max(run.first, masterSince)) >= ADVERTS) {
            return found("self/" + run.id + "/" + masterSince, "this node and " + src.getHostAddress()
                    + " both advertise as master; " + src.getHostAddress() + " does not hear this node's adverts"
                    + " or rejects them", now, run.gap);
        }
        for (Map.Entry<InetAddress, Run> e : runs.entrySet()) {
            Run theirs = e.getValue();
            if (e.getKey().equals(src) || previous == Long.MIN_VALUE || theirs.last - previous < 0
                    || now - theirs.last > theirs.gap) {
                continue;
            }
            long overlap = Math.max(run.first, theirs.first);
            if (run.advertsSince(overlap) < ADVERTS || theirs.advertsSince(overlap) < ADVERTS) {
                continue;
            }
            String a = e.getKey().getHostAddress();
            String b = src.getHostAddress();
            return found(Math.min(run.id, theirs.id) + "/" + Math.max(run.id, theirs.id), (a.compareTo(b) < 0 ? a
                    + " and " + b : b + " and " + a) + " both advertise as master (split brain); they do not hear"
                    + " each other's adverts or reject them", now, run.gap);
        }
        return Optional.empty();
    }

    private Optional<String> found(String pair, String what, long now, long gap) {
        current = what;
        currentUntilNanos = now + 2 * gap;
        // One episode per pair of runs; the finding is returned each time for the (rate-limited) log.
        if (counted.size() > 1024) {
            counted.clear();
        }
        if (counted.add(pair)) {
            episodes++;
        }
        return Optional.of(what);
    }

    /** Two masters seen lately: the finding while its evidence is fresh. */
    Optional<String> current(long now) {
        return current != null && now - currentUntilNanos < 0 ? Optional.of(current) : Optional.empty();
    }

    /** Times two masters were found since start (once per pair of advertising periods). */
    long episodes() {
        return episodes;
    }

    private static final class Run {
        final long id;
        final long first;
        final Deque<Long> recent = new ArrayDeque<>();
        long last;
        long gap = MIN_GAP_NANOS;

        Run(long id, long first) {
            this.id = id;
            this.first = first;
            this.last = first;
        }

        void advert(long now, long newGap) {
            last = now;
            gap = newGap;
            recent.addLast(now);
            while (recent.size() > ADVERTS + 1) {
                recent.removeFirst();
            }
        }

        int advertsSince(long t) {
            int n = 0;
            for (long i : recent) {
                if (i - t >= 0) {
                    n++;
                }
            }
            return n;
        }
    }
}
