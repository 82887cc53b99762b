package dev.karp.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(60)
class NetnsLabSweepTest {

    /** Above Linux's largest pid_max (2^22), so no process can have it. */
    private static final long DEAD_PID = 4_194_305L;

    @Test
    void sweepDeletesNamespacesOfDeadJvmsAndKeepsThoseOfLiveOnes() throws IOException {
        String stale = "karp-" + DEAD_PID + "-0bad-n1";
        try (NetnsLab live = NetnsLab.create(1)) {
            Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "add", stale)).orThrow();

            NetnsLab.sweepStale();

            String list = Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout();
            assertThat(list).doesNotContain(stale);
            assertThat(live.namespaces()).allSatisfy(ns -> assertThat(list).contains(ns));
        } finally {
            Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", stale));
        }
    }
}
