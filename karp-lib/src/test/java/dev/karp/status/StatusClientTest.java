package dev.karp.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StatusClientTest {
    private static final Instant SINCE = Instant.parse("2026-11-26T11:09:22.123Z");
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final StatusClient client = new StatusClient(Duration.ofSeconds(10));

    @Test
    void fetchReadsWhatTheServerServes() throws IOException {
        // given
        StatusSnapshot s = StatusSnapshot.of("MASTER", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.11", SINCE, 3);
        try (StatusServer server = StatusServer.start(ANY_LOOPBACK_PORT, () -> s, () -> true)) {

            // when
            StatusSnapshot fetched = client.fetch(server.address());

            // then
            assertThat(fetched).isEqualTo(s);
        }
    }

    @Test
    void healthyFollowsTheLoopCheck() throws IOException {
        // given
        AtomicBoolean alive = new AtomicBoolean(true);
        try (StatusServer server = StatusServer.start(ANY_LOOPBACK_PORT, () -> null, alive::get)) {

            // when
            boolean first = client.healthy(server.address());
            alive.set(false);
            boolean second = client.healthy(server.address());

            // then
            assertThat(first).isTrue();
            assertThat(second).isFalse();
        }
    }

    @Test
    void nothingListeningIsNamedWithTheAddress() throws IOException {
        // given: a port that was free a moment ago
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        InetSocketAddress target = closed;

        // when / then
        assertThatThrownBy(() -> client.fetch(target))
                .isInstanceOf(StatusException.class)
                .hasMessageStartingWith("cannot reach karp's status endpoint at 127.0.0.1:" + target.getPort() + ": ")
                .hasMessageEndingWith("; is 'karp run' running with --status-addr 127.0.0.1:" + target.getPort() + "?");
    }

    @Test
    void aSilentPeerIsATimeoutNamingTheAddress() throws IOException {
        // given: something accepts connections but never answers
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            var impatient = new StatusClient(Duration.ofMillis(200));

            // when / then
            assertThatThrownBy(() -> impatient.fetch(address))
                    .isInstanceOf(StatusException.class)
                    .hasMessage("karp's status endpoint at 127.0.0.1:" + silent.getLocalPort() + " did not answer within 200ms");
        }
    }

    @Test
    void aReplyThatIsNotAStatusIsNamed() throws IOException {
        // given: a server whose snapshot supplier fails answers 500
        try (StatusServer server = StatusServer.start(ANY_LOOPBACK_PORT, () -> {
            throw new IllegalStateException("boom");
        }, () -> true)) {

            // when / then
            assertThatThrownBy(() -> client.fetch(server.address()))
                    .hasMessage("karp's status endpoint at " + StatusServer.hostPort(server.address())
                            + " answered HTTP 500 to GET /status");
        }
    }

    @Test
    void everyRequestAsksForTheConnectionToBeClosed() throws IOException {
        // given: a server that records the Connection header (a pooled connection to 127.0.0.1:PORT could reach
        // another network namespace's daemon)
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(ANY_LOOPBACK_PORT, 4);
        server.createContext("/", exchange -> {
            seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Connection")));
            byte[] body = "ok\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            // when
            client.healthy(server.getAddress());
            client.healthy(server.getAddress());

            // then
            assertThat(seen).containsExactly("close", "close");
        } finally {
            server.stop(0);
        }
    }
}
