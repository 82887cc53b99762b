package dev.karp.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoopHeartbeatTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LoopHeartbeat heartbeat = new LoopHeartbeat(Duration.ofSeconds(5), now::get);

    @Test
    void beforeTheFirstBeatTheLoopIsNotAlive() {
        assertThat(heartbeat.getAsBoolean()).isFalse();
    }

    @Test
    void aRecentBeatIsAlive() {
        // given
        heartbeat.beat();

        // when
        now.addAndGet(Duration.ofSeconds(5).toNanos());

        // then
        assertThat(heartbeat.getAsBoolean()).isTrue();
    }

    @Test
    void aBeatOlderThanTheLimitIsStalled() {
        // given
        heartbeat.beat();

        // when
        now.addAndGet(Duration.ofSeconds(5).toNanos() + 1);

        // then
        assertThat(heartbeat.getAsBoolean()).isFalse();
    }
}
