package dev.karp.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.http.SmallHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 12 item 1: no client can keep the status endpoint from answering /healthz. */
@Timeout(60)
class StatusServerStallTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Generous: a blocked server never answers, a working one answers in milliseconds. */
    private static final int READ_TIMEOUT_MS = 15_000;

    private final List<Socket> slow = new ArrayList<>();
    private StatusServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : slow) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static StatusSnapshot snapshot() {
        return StatusSnapshot.of("MASTER", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.11",
                Instant.parse("2026-11-26T11:09:22Z"), 1);
    }

    /** A client that sends the first byte of a request and then nothing. */
    private Socket halfRequest() throws IOException {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort());
        s.getOutputStream().write('G');
        s.getOutputStream().flush();
        slow.add(s);
        return s;
    }

    /** GET path over a raw socket; the whole answer as text. */
    static String get(InetSocketAddress address, String path) throws IOException {
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void healthzIsAnsweredWhileAClientHoldsAHalfSentRequest() throws IOException {
        // given
        server = StatusServer.start(ANY_LOOPBACK_PORT, StatusServerStallTest::snapshot, () -> true);
        halfRequest();

        // when
        String health = get(server.address(), "/healthz");
        String status = get(server.address(), "/status");

        // then
        assertThat(health).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
        assertThat(status).startsWith("HTTP/1.1 200 ").contains("\"state\":\"MASTER\"");
    }

    @Test
    void healthzIsAnsweredWhileMoreSlowClientsThanTheLimitWait() throws IOException {
        // given: more half-sent requests than connections are allowed
        server = StatusServer.start(ANY_LOOPBACK_PORT, StatusServerStallTest::snapshot, () -> true);
        for (int i = 0; i < SmallHttpServer.Limits.DEFAULT.maxConnections() + 8; i++) {
            halfRequest();
        }

        // when
        String health = get(server.address(), "/healthz");

        // then
        assertThat(health).startsWith("HTTP/1.1 200 ").endsWith("ok\n");
    }

    @Test
    void aHalfSentRequestIsClosedAfterTheRequestTimeout() throws IOException {
        // given
        server = StatusServer.start(ANY_LOOPBACK_PORT, StatusServerStallTest::snapshot, () -> true,
                new SmallHttpServer.Limits(Duration.ofMillis(200), 32, 8192));
        Socket s = halfRequest();
        s.setSoTimeout(READ_TIMEOUT_MS);

        // when
        InputStream in = s.getInputStream();
        int first = in.read();

        // then: closed by the server, without an answer
        assertThat(first).isEqualTo(-1);
    }

    @Test
    void anOversizedRequestHeadIsRefused() throws IOException {
        // given
        server = StatusServer.start(ANY_LOOPBACK_PORT, StatusServerStallTest::snapshot, () -> true);

        // when
        String answer;
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.getOutputStream().write(("GET /status HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException e) {
            answer = "reset";
        }

        // then
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).startsWith("HTTP/1.1 431 "),
                a -> assertThat(a).isEqualTo("reset"));
        assertThat(get(server.address(), "/healthz")).startsWith("HTTP/1.1 200 ");
    }
}
