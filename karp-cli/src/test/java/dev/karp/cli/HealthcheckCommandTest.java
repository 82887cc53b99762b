package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.status.StatusServer;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code karp healthcheck} against status endpoints that are alive, stalled, frozen or absent. */
class HealthcheckCommandTest {
    static StatusSnapshot any() {
        return StatusSnapshot.of("MASTER", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.11", Instant.EPOCH, 1);
    }

    static StatusServer serve(AtomicBoolean alive) throws IOException {
        return StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), HealthcheckCommandTest::any,
                alive::get);
    }

    @Test
    void anAliveLoopPassesWithOneLine() throws IOException {
        try (StatusServer s = serve(new AtomicBoolean(true))) {
            // when
            CliRun run = CliRun.of("healthcheck", "--status-addr", "127.0.0.1:" + s.address().getPort());

            // then
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).isEqualTo("ok: karp at 127.0.0.1:" + s.address().getPort() + " is alive\n");
        }
    }

    @Test
    void quietPrintsNothingWhenAlive() throws IOException {
        try (StatusServer s = serve(new AtomicBoolean(true))) {
            // when
            CliRun run = CliRun.of("healthcheck", "-q", "--status-addr", "127.0.0.1:" + s.address().getPort());

            // then
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void aStalledLoopFails() throws IOException {
        try (StatusServer s = serve(new AtomicBoolean(false))) {
            // when
            CliRun run = CliRun.of("healthcheck", "--status-addr", "127.0.0.1:" + s.address().getPort());

            // then
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("karp: unhealthy: karp at 127.0.0.1:" + s.address().getPort()
                    + " answers, but its protocol loop has stalled (GET /healthz: 503)\n");
        }
    }

    @Test
    void aFrozenProcessFailsWithinTheTimeout() throws IOException {
        // given: the kernel accepts connections (backlog) but nobody reads, as with a SIGSTOPped daemon
        try (ServerSocket frozen = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            // when
            CliRun run = CliRun.of("healthcheck", "--timeout", "0.3", "--status-addr",
                    "127.0.0.1:" + frozen.getLocalPort());

            // then
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("karp: unhealthy: karp's status endpoint at 127.0.0.1:"
                    + frozen.getLocalPort() + " did not answer within 150ms\n");
        }
    }

    @Test
    void noDaemonFails() throws IOException {
        // given
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }

        // when
        CliRun run = CliRun.of("healthcheck", "--status-addr", "127.0.0.1:" + free);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("karp: unhealthy: cannot reach karp's status endpoint at 127.0.0.1:" + free);
    }

    @Test
    void aTimeoutOutOfRangeIsAUsageError() {
        // when
        CliRun run = CliRun.of("healthcheck", "--timeout", "60");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("karp: --timeout 60.0 is out of range (expected: 0.05 to 30 seconds)\n");
    }
}
