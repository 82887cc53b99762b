package dev.karp.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private static final Instant SINCE = Instant.parse("2026-11-26T11:09:22.123Z");
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final AtomicReference<StatusSnapshot> latest = new AtomicReference<>(
            StatusSnapshot.of("BACKUP", "10.200.0.100/24", "eth0", 7, 1, 50, "10.200.0.11", SINCE, 1));
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private StatusServer server;

    private final java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.karp.status");

    @org.junit.jupiter.api.BeforeEach
    void quiet() {
        // The 500 test logs a warning on purpose; keep it out of the build output.
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        log.setUseParentHandlers(true);
    }

    private record Reply(int code, String type, String allow, String body) {
    }

    private Reply request(String method, String path) throws IOException {
        var url = URI.create("http://" + StatusServer.hostPort(server.address()) + path).toURL();
        var c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        c.setRequestMethod(method);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try {
            int code = c.getResponseCode();
            var in = code < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Reply(code, c.getContentType(), c.getHeaderField("Allow"), body);
        } finally {
            c.disconnect();
        }
    }

    private void start() throws IOException {
        server = StatusServer.start(ANY_LOOPBACK_PORT, latest::get, alive::get);
    }

    @Test
    void getStatusReturnsTheLatestSnapshotAsJson() throws IOException {
        // given
        start();
        latest.set(StatusSnapshot.of("MASTER", "10.200.0.100/24", "eth0", 7, 1, 50, "10.200.0.12", SINCE, 2));

        // when
        Reply r = request("GET", "/status");

        // then
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.type()).isEqualTo("application/json");
        assertThat(StatusJson.read(r.body().getBytes(StandardCharsets.UTF_8))).isEqualTo(latest.get());
    }

    @Test
    void anotherPathIsNotFound() throws IOException {
        // given
        start();

        // when
        Reply r = request("GET", "/status/extra");

        // then
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"no such path: /status/extra (try /status or /healthz)\"}\n");
    }

    @Test
    void anotherMethodIsNotAllowed() throws IOException {
        // given
        start();

        // when
        Reply r = request("POST", "/status");

        // then
        assertThat(r.code()).isEqualTo(405);
        assertThat(r.allow()).isEqualTo("GET");
    }

    @Test
    void healthzIsOkWhileTheLoopIsAlive() throws IOException {
        // given
        start();

        // when
        Reply r = request("GET", "/healthz");

        // then
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void healthzIsUnavailableWhenTheLoopStalled() throws IOException {
        // given
        start();
        alive.set(false);

        // when
        Reply r = request("GET", "/healthz");

        // then
        assertThat(r.code()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("stalled\n");
    }

    @Test
    void aFailingSnapshotGivesA500AndTheServerCarriesOn() throws IOException {
        // given
        server = StatusServer.start(ANY_LOOPBACK_PORT, () -> {
            throw new IllegalStateException("not started yet");
        }, alive::get);

        // when
        Reply failed = request("GET", "/status");
        Reply health = request("GET", "/healthz");

        // then
        assertThat(failed.code()).isEqualTo(500);
        assertThat(failed.body()).contains("not started yet");
        assertThat(health.code()).isEqualTo(200);
    }

    @Test
    void anAddressInUseIsNamed() throws IOException {
        // given
        start();
        InetSocketAddress taken = server.address();

        // when / then
        assertThatThrownBy(() -> StatusServer.start(taken, latest::get, alive::get).close())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on " + StatusServer.hostPort(taken) + " for the status endpoint: ")
                .hasMessageEndingWith("; choose another --status-addr or 'off'");
    }

    @Test
    void afterCloseThePortIsFree() throws IOException {
        // given
        start();
        InetSocketAddress bound = server.address();

        // when
        server.close();
        server = StatusServer.start(bound, latest::get, alive::get);

        // then
        assertThat(request("GET", "/healthz").code()).isEqualTo(200);
    }
}
