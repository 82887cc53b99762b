package dev.karp.health;

import dev.karp.time.Durations;
import dev.karp.log.KarpLogging;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Runs a {@link HealthProbe} every interval on threads of its own and reports the verdict of a
 * {@link Hysteresis} to a {@link HealthListener} (the daemon, which feeds it to the election as
 * {@code HealthChanged}). The protocol loop never waits for a probe.
 *
 * <p>Two threads: {@code karp-health} keeps the schedule and the verdict; {@code karp-health-probe} runs the
 * probe. Probes enforce the timeout themselves; the schedule thread waits at most the timeout plus {@link #GRACE},
 * and a probe still running then counts as failed and is interrupted. A probe that ignores the interrupt keeps its
 * thread, and while it does every later tick counts as another failure without starting a probe, so a hung check
 * costs one thread, never more, and never stops the verdict from turning to failing.
 *
 * <p>A probe starts {@code interval} after the previous one started, or at once when the previous one took
 * longer (probes never overlap). The first starts as soon as {@link #start()} is called.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = KarpLogging.logger(HealthMonitor.class);
    /** How much longer than its timeout the monitor waits for a probe before it interrupts it. */
    static final Duration GRACE = Duration.ofMillis(250);

    private final HealthProbe probe;
    private final Duration interval;
    private final Duration timeout;
    private final HealthListener listener;
    private final Hysteresis hysteresis;
    private final ExecutorService prober;
    private final Thread scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closing = lock.newCondition();

    private boolean closed;
    /** True while the probe thread is inside {@link HealthProbe#probe}. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private String lastStatus;
    private final AtomicLong probes = new AtomicLong();

    /**
     * @param probe    what to run
     * @param interval between probe starts
     * @param timeout  how long one probe may take before it counts as failed
     * @param fails    failures in a row that demote
     * @param rises    passes in a row that end a demotion
     * @param listener told about every change of verdict or status text, from the monitor's thread
     */
    public HealthMonitor(HealthProbe probe, Duration interval, Duration timeout, int fails, int rises,
            HealthListener listener) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("interval " + interval + " and timeout " + timeout + " must be positive");
        }
        this.hysteresis = new Hysteresis(fails, rises);
        this.prober = Executors.newSingleThreadExecutor(r -> daemonThread(r, "karp-health-probe"));
        this.scheduler = daemonThread(this::loop, "karp-health");
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Reports the starting verdict (demoted, {@code starting: no probe result yet}) to the listener on the
     * caller's thread, then starts probing; the first probe runs at once.
     */
    public void start() {
        LOG.info(() -> "health check: " + probe.describe() + " every " + Durations.format(interval) + ", timeout "
                + Durations.format(timeout) + "; the node is demoted until it passes");
        lastStatus = hysteresis.status();
        listener.healthChanged(false, lastStatus);
        scheduler.start();
    }

    /** How many probes were started so far (for tests). */
    public long probes() {
        return probes.get();
    }

    /** Stops the schedule and interrupts a running probe; returns without waiting for a hung one. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closing.signalAll();
        } finally {
            lock.unlock();
        }
        prober.shutdownNow();
        probe.close();
        scheduler.interrupt();
        try {
            scheduler.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long next = System.nanoTime();
        while (true) {
            lock.lock();
            try {
                // 1. Wait for the tick (close() wakes us early).
                long wait = next - System.nanoTime();
                while (!closed && wait > 0) {
                    wait = closing.awaitNanos(wait);
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            // 2. One probe, bounded by the timeout; 3. the verdict; 4. the next tick, one interval after this start.
            long started = System.nanoTime();
            ProbeResult result;
            try {
                result = runOnce();
            } catch (InterruptedException e) {
                return;
            }
            report(result);
            // A tick already past (the probe took longer than the interval) is not waited for.
            next = started + interval.toNanos();
        }
    }

    private ProbeResult runOnce() throws InterruptedException {
        // A cancelled future is "done" while its thread may still be stuck in the probe: ask the thread.
        if (busy.get()) {
            return ProbeResult.failed("the previous probe still hangs after its timeout of "
                    + Durations.format(timeout) + " (" + probe.describe() + ")");
        }
        probes.incrementAndGet();
        Future<ProbeResult> f;
        try {
            f = prober.submit(() -> {
                busy.set(true);
                try {
                    return probe.probe(timeout);
                } finally {
                    busy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new InterruptedException("closing");
        }
        try {
            // The probe enforces the timeout itself and says why it gave up; the grace only catches one that does not.
            return f.get(timeout.toNanos() + GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return ProbeResult.failed("no result within " + Durations.format(timeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                return ProbeResult.failed("interrupted");
            }
            return ProbeResult.failed("probe error: " + cause);
        } catch (CancellationException e) {
            return ProbeResult.failed("cancelled");
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    private void report(ProbeResult result) {
        boolean changed = hysteresis.record(result);
        String status = hysteresis.status();
        if (changed) {
            if (hysteresis.healthy()) {
                LOG.info(() -> "health check passed (" + result.detail() + "): this node is no longer demoted");
            } else {
                LOG.warning(() -> "health check " + status + " (" + probe.describe() + "): this node is demoted"
                        + " (advertises with advskew 240; a master bows out)");
            }
        } else if (!result.healthy() && hysteresis.healthy()) {
            LOG.info(() -> "health check " + status + " (" + probe.describe() + ")");
        }
        if (!status.equals(lastStatus)) {
            lastStatus = status;
            listener.healthChanged(hysteresis.healthy(), status);
        }
    }
}
