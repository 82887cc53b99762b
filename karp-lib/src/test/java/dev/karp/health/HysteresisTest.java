package dev.karp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.health.Hysteresis.Verdict;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HysteresisTest {
    private static final ProbeResult PASS = ProbeResult.passed("HTTP 200");
    private static final ProbeResult REFUSED = ProbeResult.failed("connection refused");

    @Test
    void beforeAnyResultTheNodeIsDemotedAndSaysSo() {
        Hysteresis h = new Hysteresis(2, 2);

        assertThat(h.verdict()).isEqualTo(Verdict.STARTING);
        assertThat(h.healthy()).isFalse();
        assertThat(h.status()).isEqualTo("starting: no probe result yet");
    }

    @Test
    void theFirstPassMakesAStartingNodeHealthyAtOnce() {
        Hysteresis h = new Hysteresis(2, 3);

        boolean changed = h.record(PASS);

        assertThat(changed).isTrue();
        assertThat(h.healthy()).isTrue();
        assertThat(h.status()).isEqualTo("ok");
    }

    @Test
    void theFirstFailureOfAStartingNodeShowsItsReason() {
        Hysteresis h = new Hysteresis(2, 2);

        boolean changed = h.record(REFUSED);

        assertThat(changed).isTrue();
        assertThat(h.verdict()).isEqualTo(Verdict.FAILING);
        assertThat(h.status()).isEqualTo("failing: connection refused");
    }

    @Test
    void aHealthyNodeStaysHealthyUntilFailsFailuresInARow() {
        Hysteresis h = new Hysteresis(3, 2);
        h.record(PASS);

        h.record(REFUSED);
        h.record(REFUSED);

        assertThat(h.healthy()).isTrue();
        assertThat(h.status()).isEqualTo("ok (2/3 failed: connection refused)");

        h.record(REFUSED);

        assertThat(h.healthy()).isFalse();
        assertThat(h.status()).isEqualTo("failing: connection refused");
    }

    @Test
    void aPassBetweenFailuresStartsTheCountAgain() {
        Hysteresis h = new Hysteresis(2, 2);
        h.record(PASS);

        h.record(REFUSED);
        h.record(PASS);
        h.record(REFUSED);

        assertThat(h.healthy()).isTrue();
    }

    @Test
    void aFailingNodeRecoversAfterRisesPassesInARow() {
        Hysteresis h = new Hysteresis(1, 3);
        h.record(PASS);
        h.record(REFUSED);

        h.record(PASS);
        h.record(PASS);

        assertThat(h.healthy()).isFalse();
        assertThat(h.status()).isEqualTo("failing: connection refused (2/3 passed since)");

        boolean changed = h.record(PASS);

        assertThat(changed).isTrue();
        assertThat(h.status()).isEqualTo("ok");
    }

    @Test
    void theStatusNamesTheLatestFailure() {
        Hysteresis h = new Hysteresis(1, 1);
        h.record(REFUSED);

        h.record(ProbeResult.failed("no answer within 1s"));

        assertThat(h.status()).isEqualTo("failing: no answer within 1s");
    }

    @Test
    void countsBelowOneAreRefused() {
        assertThatThrownBy(() -> new Hysteresis(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hysteresis(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void theStatusStartsWithOkExactlyWhenTheNodeIsHealthy(@ForAll @Size(max = 40) List<Boolean> results,
            @ForAll @IntRange(min = 1, max = 5) int fails, @ForAll @IntRange(min = 1, max = 5) int rises) {
        Hysteresis h = new Hysteresis(fails, rises);

        for (boolean passed : results) {
            h.record(passed ? PASS : REFUSED);

            assertThat(h.status().startsWith("ok")).isEqualTo(h.healthy());
        }
    }

    @Property(tries = 500)
    void aHealthyNodeIsDemotedExactlyWhenTheLastFailsResultsFailed(@ForAll @Size(min = 1, max = 40) List<Boolean> results,
            @ForAll @IntRange(min = 1, max = 5) int fails) {
        Hysteresis h = new Hysteresis(fails, 1);
        h.record(PASS);

        for (boolean passed : results) {
            h.record(passed ? PASS : REFUSED);
        }

        // With rises 1 any pass ends a demotion, so only the failures since the last pass count.
        int trailingFailures = 0;
        for (int i = results.size() - 1; i >= 0 && !results.get(i); i--) {
            trailingFailures++;
        }
        assertThat(h.healthy()).isEqualTo(trailingFailures < fails);
    }
}
