package dev.karp.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private static final long SECOND = 1_000_000_000L;

    private final List<String> lines = new ArrayList<>();
    private final RateLimitedLog<String> log = new RateLimitedLog<>(3, Duration.ofSeconds(10), lines::add);

    @Test
    void theFirstLinesOfAnIntervalAreWrittenAndTheRestCounted() {
        // given: a peer with the wrong password sends 10 adverts in 9 s

        // when
        for (int i = 0; i < 10; i++) {
            log.log("bad HMAC", i * SECOND, () -> "dropped advert: bad HMAC");
        }

        // then
        assertThat(lines).containsExactly("dropped advert: bad HMAC", "dropped advert: bad HMAC", "dropped advert: bad HMAC");
    }

    @Test
    void admitLetsTheSameLinesThroughAsLogAndCountsTheRest() {
        // given: a caller that builds its line only when admitted (a flood of invalid frames, issue 16)
        for (int i = 0; i < 10; i++) {
            if (log.admit("bad HMAC", i * SECOND)) {
                log.write("bad " + i);
            }
        }

        // when
        log.log("bad HMAC", 10 * SECOND, () -> "bad again");

        // then
        assertThat(lines).containsExactly("bad 0", "bad 1", "bad 2",
                "suppressed 7 more 'bad HMAC' warnings (limit 3 per 10s)", "bad again");
    }

    @Test
    void theNextLineAfterTheIntervalComesAfterASummary() {
        // given
        for (int i = 0; i < 10; i++) {
            log.log("bad HMAC", i * SECOND, () -> "bad " + lines.size());
        }

        // when
        log.log("bad HMAC", 10 * SECOND, () -> "bad again");

        // then
        assertThat(lines).containsExactly("bad 0", "bad 1", "bad 2",
                "suppressed 7 more 'bad HMAC' warnings (limit 3 per 10s)", "bad again");
    }

    @Test
    void tickSummarisesAFloodThatStopped() {
        // given
        for (int i = 0; i < 5; i++) {
            log.log("bad TTL", i * SECOND, () -> "ttl");
        }

        // when
        log.tick(9 * SECOND);
        int beforeTheEnd = lines.size();
        log.tick(10 * SECOND);

        // then
        assertThat(beforeTheEnd).isEqualTo(3);
        assertThat(lines).containsExactly("ttl", "ttl", "ttl", "suppressed 2 more 'bad TTL' warnings (limit 3 per 10s)");
    }

    @Test
    void aSingleSuppressedLineIsSummarisedInTheSingular() {
        // given
        for (int i = 0; i < 4; i++) {
            log.log("bad TTL", 0, () -> "ttl");
        }

        // when
        log.tick(10 * SECOND);

        // then
        assertThat(lines).last().isEqualTo("suppressed 1 more 'bad TTL' warning (limit 3 per 10s)");
    }

    @Test
    void aQuietIntervalWritesNoSummary() {
        // given
        log.log("bad TTL", 0, () -> "ttl");

        // when
        log.tick(60 * SECOND);

        // then
        assertThat(lines).containsExactly("ttl");
    }

    @Test
    void eachReasonHasItsOwnLimit() {
        // given
        for (int i = 0; i < 5; i++) {
            log.log("bad HMAC", 0, () -> "hmac");
        }

        // when
        boolean written = log.log("bad TTL", 0, () -> "ttl");

        // then
        assertThat(written).isTrue();
        assertThat(lines).containsExactly("hmac", "hmac", "hmac", "ttl");
    }

    @Test
    void aSuppressedLineIsNeverBuilt() {
        // given
        for (int i = 0; i < 3; i++) {
            log.log("bad HMAC", 0, () -> "hmac");
        }

        // when
        boolean written = log.log("bad HMAC", 0, () -> {
            throw new AssertionError("built a suppressed line");
        });

        // then
        assertThat(written).isFalse();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new RateLimitedLog<String>(0, Duration.ofSeconds(1), lines::add))
                .hasMessage("limit 0 is out of range (expected: 1 or more)");
    }
}
