package dev.karp.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor's threads with scripted probes, in real time with short intervals. Assertions wait for an
 * outcome with a generous bound and never measure time.
 */
class HealthMonitorTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofMillis(20);

    private final RecordingListener listener = new RecordingListener();
    private final List<HealthMonitor> monitors = new ArrayList<>();

    @AfterEach
    void closeAll() {
        monitors.forEach(HealthMonitor::close);
    }

    @Test
    void theNodeIsDemotedFromStartUntilTheFirstProbePasses() {
        CountDownLatch release = new CountDownLatch(1);
        HealthProbe slowFirst = probe(timeout -> {
            release.await();
            return ProbeResult.passed("HTTP 200");
        });

        HealthMonitor m = monitor(slowFirst, Duration.ofSeconds(5), 2, 2);

        assertThat(listener.reports()).containsExactly(new Report(false, "starting: no probe result yet"));
        release.countDown();
        assertThat(Await.until(PATIENCE, () -> listener.last().healthy())).isTrue();
        assertThat(listener.last()).isEqualTo(new Report(true, "ok"));
        m.close();
    }

    @Test
    void twoFailuresInARowDemoteAHealthyNodeWithTheReason() {
        ScriptedProbe probe = new ScriptedProbe(ProbeResult.passed("HTTP 200"), ProbeResult.failed("connection refused"));

        monitor(probe, Duration.ofSeconds(5), 2, 2);

        assertThat(Await.until(PATIENCE, () -> listener.reports().contains(
                new Report(false, "failing: connection refused")))).isTrue();
        assertThat(listener.reports()).containsSubsequence(new Report(true, "ok"),
                new Report(true, "ok (1/2 failed: connection refused)"), new Report(false, "failing: connection refused"));
    }

    @Test
    void aProbeThatHangsPastItsTimeoutIsCutAndCountsAsAFailure() {
        AtomicInteger interrupted = new AtomicInteger();
        HealthProbe hangs = probe(timeout -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return ProbeResult.passed("never");
        });

        monitor(hangs, Duration.ofMillis(50), 2, 2);

        assertThat(Await.until(PATIENCE, () -> listener.last().equals(new Report(false, "failing: no result within 50ms"))))
                .isTrue();
        assertThat(Await.until(PATIENCE, () -> interrupted.get() >= 2)).isTrue();
    }

    @Test
    void aProbeThatIgnoresTheInterruptKeepsOneThreadAndEveryTickCountsAsAFailure() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        HealthProbe deaf = probe(timeout -> {
            started.incrementAndGet();
            while (true) {
                try {
                    never.await();
                    return ProbeResult.passed("never");
                } catch (InterruptedException e) {
                    // deaf to interrupts, like a probe stuck in an uninterruptible call
                }
            }
        });

        HealthMonitor m = monitor(deaf, Duration.ofMillis(30), 3, 2);

        assertThat(Await.until(PATIENCE, () -> listener.last().status().startsWith("failing: the previous probe still hangs")))
                .isTrue();
        assertThat(started.get()).isEqualTo(1);
        assertThat(m.probes()).isEqualTo(1);
        never.countDown();
    }

    @Test
    void aFailingNodeRecoversAfterRisesPasses() {
        ScriptedProbe probe = new ScriptedProbe(ProbeResult.failed("HTTP 500 (expected: 200)"),
                ProbeResult.failed("HTTP 500 (expected: 200)"), ProbeResult.passed("HTTP 200"));

        monitor(probe, Duration.ofSeconds(5), 1, 3);

        assertThat(Await.until(PATIENCE, () -> listener.last().equals(new Report(true, "ok")))).isTrue();
        assertThat(listener.reports()).containsSubsequence(new Report(false, "failing: HTTP 500 (expected: 200)"),
                new Report(false, "failing: HTTP 500 (expected: 200) (1/3 passed since)"),
                new Report(false, "failing: HTTP 500 (expected: 200) (2/3 passed since)"), new Report(true, "ok"));
    }

    @Test
    void theListenerHearsOnlyChanges() {
        ScriptedProbe probe = new ScriptedProbe(ProbeResult.passed("HTTP 200"));

        HealthMonitor m = monitor(probe, Duration.ofSeconds(5), 2, 2);
        assertThat(Await.until(PATIENCE, () -> m.probes() >= 5)).isTrue();

        assertThat(listener.reports()).containsExactly(new Report(false, "starting: no probe result yet"),
                new Report(true, "ok"));
    }

    @Test
    void closeStopsProbing() throws InterruptedException {
        ScriptedProbe probe = new ScriptedProbe(ProbeResult.passed("HTTP 200"));
        HealthMonitor m = monitor(probe, Duration.ofSeconds(5), 2, 2);
        assertThat(Await.until(PATIENCE, () -> m.probes() >= 2)).isTrue();

        m.close();
        long after = m.probes();
        TimeUnit.MILLISECONDS.sleep(10 * INTERVAL.toMillis());

        assertThat(m.probes()).isEqualTo(after);
    }

    // ---- fixture -------------------------------------------------------------------------------

    private HealthMonitor monitor(HealthProbe probe, Duration timeout, int fails, int rises) {
        HealthMonitor m = new HealthMonitor(probe, INTERVAL, timeout, fails, rises, listener);
        monitors.add(m);
        m.start();
        return m;
    }

    interface Body {
        ProbeResult run(Duration timeout) throws InterruptedException;
    }

    private static HealthProbe probe(Body body) {
        return new HealthProbe() {
            @Override
            public ProbeResult probe(Duration timeout) throws InterruptedException {
                return body.run(timeout);
            }

            @Override
            public String describe() {
                return "test probe";
            }
        };
    }

    /** Answers the scripted results in order, then repeats the last one. */
    private static final class ScriptedProbe implements HealthProbe {
        private final List<ProbeResult> script;
        private final AtomicInteger next = new AtomicInteger();

        ScriptedProbe(ProbeResult... script) {
            this.script = List.of(script);
        }

        @Override
        public ProbeResult probe(Duration timeout) {
            return script.get(Math.min(next.getAndIncrement(), script.size() - 1));
        }

        @Override
        public String describe() {
            return "scripted probe";
        }
    }

    record Report(boolean healthy, String status) {
    }

    private static final class RecordingListener implements HealthListener {
        private final List<Report> reports = new ArrayList<>();

        @Override
        public synchronized void healthChanged(boolean healthy, String status) {
            reports.add(new Report(healthy, status));
        }

        synchronized List<Report> reports() {
            return List.copyOf(reports);
        }

        synchronized Report last() {
            return reports.get(reports.size() - 1);
        }
    }
}
