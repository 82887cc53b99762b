package dev.karp.health;

/** Receives the health verdict from {@link HealthMonitor}'s thread. */
@FunctionalInterface
public interface HealthListener {
    /**
     * Called after the first probe and whenever the verdict or its status text changes.
     *
     * @param healthy false while the node must be demoted (also before the first probe passed)
     * @param status  for {@code karp status}: starts with {@code ok} exactly when healthy, e.g. {@code ok},
     *                {@code ok (1/2 failed: connection refused)}, {@code failing: connection refused},
     *                {@code starting: no probe result yet}
     */
    void healthChanged(boolean healthy, String status);
}
