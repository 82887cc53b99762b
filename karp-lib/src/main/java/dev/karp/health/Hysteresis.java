package dev.karp.health;

/**
 * Turns probe results into a verdict that changes only after {@code fails} failures, or {@code rises} successes,
 * in a row. Pure: no clock, no threads. Not thread-safe (the monitor's thread owns it).
 *
 * <p>Before any result the verdict is {@link Verdict#STARTING}, which demotes the node like a failure: a node
 * whose API server was never seen answering should not win an election (keepalived's {@code init_fail} does the
 * same for its scripts). The first result ends it at once: a pass makes the node healthy, a failure makes it
 * {@link Verdict#FAILING}, from which it recovers after {@code rises} passes like any failing node.
 */
public final class Hysteresis {

    /** The verdict. Only HEALTHY lets the node advertise with its configured advskew. */
    public enum Verdict { STARTING, HEALTHY, FAILING }

    private final int fails;
    private final int rises;
    private Verdict verdict = Verdict.STARTING;
    private int failStreak;
    private int passStreak;
    private String lastFailure = "";

    /**
     * @param fails failures in a row that make a healthy node FAILING, at least 1
     * @param rises passes in a row that make a failing node HEALTHY, at least 1
     */
    public Hysteresis(int fails, int rises) {
        if (fails < 1 || rises < 1) {
            throw new IllegalArgumentException("fails " + fails + " and rises " + rises + " must be at least 1");
        }
        this.fails = fails;
        this.rises = rises;
    }

    /**
     * Counts one result.
     *
     * @return true if the verdict changed
     */
    public boolean record(ProbeResult result) {
        Verdict before = verdict;
        if (result.healthy()) {
            failStreak = 0;
            passStreak = Math.min(passStreak + 1, Integer.MAX_VALUE - 1);
            if (verdict == Verdict.STARTING || verdict == Verdict.FAILING && passStreak >= rises) {
                verdict = Verdict.HEALTHY;
            }
        } else {
            passStreak = 0;
            failStreak = Math.min(failStreak + 1, Integer.MAX_VALUE - 1);
            lastFailure = result.detail();
            if (verdict == Verdict.STARTING || verdict == Verdict.HEALTHY && failStreak >= fails) {
                verdict = Verdict.FAILING;
            }
        }
        return verdict != before;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** True only while HEALTHY. */
    public boolean healthy() {
        return verdict == Verdict.HEALTHY;
    }

    /**
     * The status line for {@code karp status}. It starts with {@code ok} exactly when {@link #healthy()}:
     * {@code ok}, {@code ok (1/2 failed: connection refused)}, {@code failing: connection refused},
     * {@code failing: connection refused (1/2 passed since)}, {@code starting: no probe result yet}.
     */
    public String status() {
        return switch (verdict) {
            case STARTING -> "starting: no probe result yet";
            case HEALTHY -> failStreak == 0 ? "ok" : "ok (" + failStreak + "/" + fails + " failed: " + lastFailure + ")";
            case FAILING -> "failing: " + lastFailure + (passStreak == 0 ? "" : " (" + passStreak + "/" + rises
                    + " passed since)");
        };
    }
}
