package dev.karp.health;

import dev.karp.config.HealthCheck;
import java.time.Duration;

/**
 * One kind of health check ({@link HttpProbe}, {@link ExecProbe}). {@link HealthMonitor} calls it on a thread of
 * its own, never on the protocol loop's.
 */
public interface HealthProbe extends AutoCloseable {
    /**
     * Runs one probe. Should return within about {@code timeout}; the monitor stops waiting at the timeout anyway,
     * interrupts the probe and counts it as failed.
     *
     * @return never null; a failure is a result, not an exception
     * @throws InterruptedException when the monitor gave up on it or is closing; the probe cleans up (kills its
     *                              process, cancels its request) before it throws
     */
    ProbeResult probe(Duration timeout) throws InterruptedException;

    /**
     * Releases what the probe keeps between runs (an HTTP probe's connection). The monitor calls it when it closes;
     * a probe still running may finish, without keeping anything.
     */
    @Override
    default void close() {
    }

    /** What is probed, for logs: {@code GET https://127.0.0.1:6443/readyz}. */
    String describe();

    /**
     * The probe for a configured target.
     *
     * @throws IllegalArgumentException naming the option, e.g. a {@code --health-ca} file without certificates
     */
    static HealthProbe of(HealthCheck.Target target) {
        if (target instanceof HealthCheck.Http http) {
            return HttpProbe.create(http);
        }
        return new ExecProbe((HealthCheck.Exec) target);
    }
}
