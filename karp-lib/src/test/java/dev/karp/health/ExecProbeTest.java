package dev.karp.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.config.HealthCheck;
import dev.karp.lab.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void exitStatusZeroIsHealthy() throws InterruptedException {
        ProbeResult r = exec("true").probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.passed("exit 0"));
    }

    @Test
    void anotherExitStatusFailsWithTheLastLineOfOutput() throws InterruptedException {
        ProbeResult r = exec("echo starting; echo 'curl: (7) Failed to connect' >&2; exit 7").probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.failed("exit 7: curl: (7) Failed to connect"));
    }

    @Test
    void theCommandIsAShellLine() throws InterruptedException {
        ProbeResult r = exec("test \"$(echo a b | wc -w)\" -eq 2 && exit 0 || exit 1").probe(TIMEOUT);

        assertThat(r.healthy()).isTrue();
    }

    @Test
    void aCommandStillRunningAtTheTimeoutIsKilledWithEverythingItStarted() throws Exception {
        Path pids = tmp.resolve("pids");
        String command = "sleep 300 & echo $! > " + pids + "; sleep 300";

        ProbeResult r = exec(command).probe(Duration.ofMillis(500));

        assertThat(r).isEqualTo(ProbeResult.failed("still running after 500ms; killed"));
        long child = Long.parseLong(Files.readString(pids).strip());
        assertThat(Await.until(Duration.ofSeconds(10), () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true)))
                .isTrue();
    }

    @Test
    void longOutputKeepsOnlyAShortLastLine() throws InterruptedException {
        ProbeResult r = exec("head -c 100000 /dev/zero | tr '\\0' x; exit 3").probe(TIMEOUT);

        assertThat(r.detail()).startsWith("exit 3: xxx").hasSize("exit 3: ".length() + ExecProbe.MAX_DETAIL + 3);
    }

    private static ExecProbe exec(String command) {
        return new ExecProbe(new HealthCheck.Exec(command));
    }
}
