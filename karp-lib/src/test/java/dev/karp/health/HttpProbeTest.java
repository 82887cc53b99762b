package dev.karp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.karp.config.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpProbe} against servers on 127.0.0.1 in this JVM. */
class HttpProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final char[] PASS = "changeit".toCharArray();

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void anyHttpAnswerCountsAsAliveEvenA401() throws IOException, InterruptedException {
        int port = httpServer(401);

        ProbeResult r = probe("http://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), null).probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.passed("HTTP 401"));
    }

    @Test
    void withAnExpectedStatusAnotherAnswerFails() throws IOException, InterruptedException {
        int port = httpServer(503);

        ProbeResult r = probe("http://127.0.0.1:" + port + "/readyz", OptionalInt.of(200), null).probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.failed("HTTP 503 (expected: 200)"));
    }

    @Test
    void theExpectedStatusPasses() throws IOException, InterruptedException {
        int port = httpServer(200);

        ProbeResult r = probe("http://127.0.0.1:" + port + "/readyz", OptionalInt.of(200), null).probe(TIMEOUT);

        assertThat(r.healthy()).isTrue();
    }

    @Test
    void aClosedPortFailsAsConnectionRefused() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        ProbeResult r = probe("https://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), null).probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.failed("connection refused"));
    }

    @Test
    void anHttpServerThatAcceptsButNeverAnswersFailsAtTheTimeout() throws IOException, InterruptedException {
        int port = silentServer();

        ProbeResult r = probe("http://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), null)
                .probe(Duration.ofMillis(300));

        assertThat(r).isEqualTo(ProbeResult.failed("no answer within 300ms"));
    }

    @Test
    void anHttpsServerThatNeverCompletesTheHandshakeFailsAtTheTimeout() throws IOException, InterruptedException {
        int port = silentServer();

        ProbeResult r = probe("https://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), null)
                .probe(Duration.ofMillis(300));

        assertThat(r.healthy()).isFalse();
        assertThat(r.detail()).isEqualTo("no answer within 300ms");
    }

    @Test
    void aLoopbackHttpsServerWithASelfSignedCertificatePassesWithoutCa() throws Exception {
        Tls tls = Tls.create(tmp, "dns:kube-apiserver");
        int port = httpsServer(tls, 200);

        ProbeResult r = probe("https://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), null).probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.passed("HTTP 200"));
    }

    @Test
    void withItsCaALoopbackServerPassesThoughItsCertificateDoesNotName127001() throws Exception {
        Tls tls = Tls.create(tmp, "dns:kube-apiserver");
        int port = httpsServer(tls, 200);

        ProbeResult r = probe("https://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), tls.pem()).probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.passed("HTTP 200"));
    }

    @Test
    void withAnotherCaTheHandshakeFailsAndTheReasonSaysSo() throws Exception {
        Tls server = Tls.create(tmp.resolve("server"), "ip:127.0.0.1");
        Tls other = Tls.create(tmp.resolve("other"), "ip:127.0.0.1");
        int port = httpsServer(server, 200);

        ProbeResult r = probe("https://127.0.0.1:" + port + "/readyz", OptionalInt.empty(), other.pem()).probe(TIMEOUT);

        assertThat(r.healthy()).isFalse();
        assertThat(r.detail()).startsWith("TLS failed: ").endsWith("; check --health-ca and the URL's host name");
    }

    @Test
    void theConnectionIsKeptBetweenProbes() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);

        List<ProbeResult> results = List.of(p.probe(TIMEOUT), p.probe(TIMEOUT), p.probe(TIMEOUT));

        assertThat(results).containsOnly(ProbeResult.passed("HTTP 200"));
        assertThat(server.requests()).isEqualTo(3);
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aKeptConnectionTheServerDropsWithoutAnAnswerIsRetriedOnAFreshOneInTheSameProbe() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);
        p.probe(TIMEOUT);
        server.mode(Mode.DROP_KEPT);

        ProbeResult r = p.probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.passed("HTTP 200"));
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aHungServerFailsAtTheTimeoutOnAKeptConnectionAndTheNextProbeConnectsAfresh() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.empty(), null);
        p.probe(TIMEOUT);
        server.mode(Mode.HANG);

        ProbeResult hung = p.probe(Duration.ofMillis(300));
        server.mode(Mode.ANSWER);
        ProbeResult after = p.probe(TIMEOUT);

        assertThat(hung).isEqualTo(ProbeResult.failed("no answer within 300ms"));
        assertThat(after).isEqualTo(ProbeResult.passed("HTTP 200"));
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aRestartedServerWithANewCertificateIsProbedOnAFreshConnection() throws Exception {
        Tls before = Tls.create(tmp.resolve("before"), "dns:kube-apiserver");
        Tls after = Tls.create(tmp.resolve("after"), "dns:kube-apiserver");
        TlsServer first = tlsServer(before, 0);
        HttpProbe p = probe("https://127.0.0.1:" + first.port() + "/readyz", OptionalInt.of(200), null);
        ProbeResult r1 = p.probe(TIMEOUT);
        first.close();

        TlsServer second = tlsServer(after, first.port());
        ProbeResult r2 = p.probe(TIMEOUT);

        assertThat(r1).isEqualTo(ProbeResult.passed("HTTP 200"));
        assertThat(r2).isEqualTo(ProbeResult.passed("HTTP 200"));
        assertThat(second.connections()).isEqualTo(1);
    }

    @Test
    void aStoppedServerFailsTheProbeThatFollowsThoughAConnectionWasKept() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.empty(), null);
        p.probe(TIMEOUT);

        server.close();
        ProbeResult r = p.probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.failed("connection refused"));
    }

    @Test
    void aBodyLongerThanWorthKeepingStillPasses() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        server.body("x".repeat(HttpProbe.MAX_KEPT_BODY + 1));
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);

        List<ProbeResult> results = List.of(p.probe(TIMEOUT), p.probe(TIMEOUT));

        assertThat(results).containsOnly(ProbeResult.passed("HTTP 200"));
    }

    /** Were the rest of the body awaited, the probe would take its five minutes and the test time out. */
    @Test
    @Timeout(60)
    void aBodyThatStopsHalfwayDoesNotHoldTheProbePastItsStatusLine() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        server.mode(Mode.STALL_BODY);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);

        ProbeResult stalled = p.probe(Duration.ofMinutes(5));
        server.mode(Mode.ANSWER);
        ProbeResult next = p.probe(TIMEOUT);

        assertThat(stalled).isEqualTo(ProbeResult.passed("HTTP 200"));
        assertThat(next).isEqualTo(ProbeResult.passed("HTTP 200"));
    }

    @Test
    void aChunkedAnswerKeepsTheConnection() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        server.mode(Mode.CHUNKED);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);

        List<ProbeResult> results = List.of(p.probe(TIMEOUT), p.probe(TIMEOUT), p.probe(TIMEOUT));

        assertThat(results).containsOnly(ProbeResult.passed("HTTP 200"));
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aBodySentAfterItsHeadersInARecordOfItsOwnKeepsTheConnection() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        server.mode(Mode.SPLIT);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);

        List<ProbeResult> results = List.of(p.probe(TIMEOUT), p.probe(TIMEOUT), p.probe(TIMEOUT));

        assertThat(results).containsOnly(ProbeResult.passed("HTTP 200"));
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void anAnswerWithConnectionCloseIsFollowedByAFreshConnection() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        server.mode(Mode.CLOSE);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);

        List<ProbeResult> results = List.of(p.probe(TIMEOUT), p.probe(TIMEOUT));

        assertThat(results).containsOnly(ProbeResult.passed("HTTP 200"));
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void anAnswerThatIsNotHttpFails() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        server.mode(Mode.GARBAGE);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.empty(), null);

        ProbeResult r = p.probe(TIMEOUT);

        assertThat(r).isEqualTo(ProbeResult.failed("not an HTTP answer: SSH-2.0-OpenSSH_9.2"));
    }

    @Test
    void closingTheProbeClosesItsKeptConnection() throws Exception {
        TlsServer server = tlsServer(Tls.create(tmp, "dns:kube-apiserver"), 0);
        HttpProbe p = probe("https://127.0.0.1:" + server.port() + "/readyz", OptionalInt.of(200), null);
        p.probe(TIMEOUT);

        p.close();
        ProbeResult after = p.probe(TIMEOUT);

        assertThat(after).isEqualTo(ProbeResult.passed("HTTP 200"));
        assertThat(server.connections()).isEqualTo(2);
    }

    /** A URL that is not loopback has its name checked: the certificate must name the host the URL names. */
    @Test
    void theServerNameIsCheckedWhenAskedFor() throws Exception {
        Tls other = Tls.create(tmp.resolve("other"), "dns:kube-apiserver");
        Tls named = Tls.create(tmp.resolve("named"), "ip:127.0.0.1");
        TlsServer wrongName = tlsServer(other, 0);
        TlsServer rightName = tlsServer(named, 0);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();

        assertThatThrownBy(() -> HttpConnection.open("127.0.0.1", wrongName.port(), trusting(other), true, deadline))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        try (HttpConnection c = HttpConnection.open("127.0.0.1", rightName.port(), trusting(named), true, deadline)) {
            assertThat(c.used()).isFalse();
        }
        // Without the check (a loopback URL), the first certificate's chain is enough.
        try (HttpConnection c = HttpConnection.open("127.0.0.1", wrongName.port(), trusting(other), false, deadline)) {
            assertThat(c.used()).isFalse();
        }
    }

    @Test
    void theDescriptionIsTheRequest() {
        HttpProbe p = probe("https://127.0.0.1:6443/readyz", OptionalInt.empty(), null);

        assertThat(p.describe()).isEqualTo("GET https://127.0.0.1:6443/readyz");
    }

    // ---- fixture -------------------------------------------------------------------------------

    /** TLS that trusts this certificate alone, and checks names only when the connection asks for it. */
    private static javax.net.ssl.SSLSocketFactory trusting(Tls tls) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (java.security.cert.Certificate c : HttpProbe.readCertificates(tls.pem())) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    private static HttpProbe probe(String url, OptionalInt expect, Path ca) {
        return HttpProbe.create(new HealthCheck.Http(URI.create(url), expect, Optional.ofNullable(ca)));
    }

    private int httpServer(int status) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        s.start();
        closeables.add(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    private int httpsServer(Tls tls, int status) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
        s.createContext("/", ex -> {
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        s.start();
        closeables.add(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    /** Accepts connections (the kernel would anyway) and never reads or writes: a frozen server. */
    private int silentServer() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    held.add(s.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
        closeables.add(() -> {
            s.close();
            for (Socket c : held) {
                c.close();
            }
        });
        return s.getLocalPort();
    }

    private TlsServer tlsServer(Tls tls, int port) throws IOException {
        TlsServer s = TlsServer.start(tls.context(), port);
        closeables.add(s);
        return s;
    }

    /** What {@link TlsServer} does with a request. */
    enum Mode {
        /** 200 with the body, and the connection stays open for the next request. */
        ANSWER,
        /** A request on a connection that already had one: closed without an answer (a stale keep-alive). */
        DROP_KEPT,
        /** Reads the request and never answers: a hung API server. */
        HANG,
        /** The status line, the headers and 2 of 1000 announced bytes, then nothing. */
        STALL_BODY,
        /** 200 with the body in chunks, the connection kept. */
        CHUNKED,
        /** 200 with {@code Connection: close}, then the connection is closed. */
        CLOSE,
        /** Something that is not HTTP. */
        GARBAGE,
        /** The headers and the body in writes (TLS records) of their own, as Python's http.server sends them. */
        SPLIT
    }

    /**
     * An HTTP/1.1 server over TLS that keeps connections (as an API server does) and counts connections and
     * requests, so that a test sees whether a probe reused a connection.
     */
    static final class TlsServer implements AutoCloseable {
        private final ServerSocket socket;
        private final SSLContext ctx;
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        private final List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile Mode mode = Mode.ANSWER;
        private Thread acceptor;
        private volatile String body = "ok";

        private TlsServer(ServerSocket socket, SSLContext ctx) {
            this.socket = socket;
            this.ctx = ctx;
        }

        static TlsServer start(SSLContext ctx, int port) throws IOException {
            // Plain TCP accepted, TLS layered on top: close() closes the TCP sockets themselves, at once, as
            // the kernel does for a server that dies (closing an SSLSocket that another thread reads may wait).
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            TlsServer s = new TlsServer(ss, ctx);
            Thread t = new Thread(s::acceptLoop, "tls-server");
            t.setDaemon(true);
            s.acceptor = t;
            t.start();
            return s;
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        int requests() {
            return requests.get();
        }

        void mode(Mode m) {
            mode = m;
        }

        void body(String b) {
            body = b;
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket plain = socket.accept();
                    // Reset on close: no FIN_WAIT socket left on the port that a restarted server binds again.
                    plain.setSoLinger(true, 0);
                    connections.incrementAndGet();
                    open.add(plain);
                    javax.net.ssl.SSLSocket c = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                            .createSocket(plain, null, plain.getPort(), true);
                    c.setUseClientMode(false);
                    Thread t = new Thread(() -> serve(c), "tls-server-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket c) {
            try (c) {
                java.io.BufferedReader in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                java.io.OutputStream out = c.getOutputStream();
                for (int served = 0; ; served++) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    while (line != null && !line.isEmpty()) {
                        line = in.readLine(); // the headers; a GET has no body
                    }
                    requests.incrementAndGet();
                    Mode m = mode;
                    if (m == Mode.HANG) {
                        in.read(); // until the client gives up and closes
                        return;
                    }
                    if (m == Mode.DROP_KEPT && served > 0) {
                        return;
                    }
                    if (m == Mode.STALL_BODY) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nok")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        in.read(); // until the client gives up and closes
                        return;
                    }
                    if (m == Mode.CHUNKED) {
                        out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nok\r\n"
                                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        continue;
                    }
                    if (m == Mode.CLOSE) {
                        out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    if (m == Mode.SPLIT) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        out.write(body.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        continue;
                    }
                    if (m == Mode.GARBAGE) {
                        out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        continue;
                    }
                    // One write, so one TLS record, as Go's net/http sends a short answer.
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            // The JDK closes a listening socket that another thread waits on in accept() only when that thread
            // leaves accept(): until then a restarted server cannot bind the port ("Address already in use").
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (open) {
                for (Socket c : open) {
                    c.close();
                }
            }
        }
    }

    /** A self-signed server certificate made with the JDK's keytool, and its PEM. */
    record Tls(SSLContext context, Path pem) {
        static Tls create(Path dir, String san) throws Exception {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=kube-apiserver", "-validity", "2", "-ext", "san=" + san, "-keystore",
                    keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, PASS);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASS);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            Path pem = dir.resolve("ca.crt");
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(ks.getCertificate("server").getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
            return new Tls(ctx, pem);
        }
    }
}
