package dev.karp.health;

import dev.karp.config.HealthCheck;
import dev.karp.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code GET URL} over a connection of its own ({@link HttpConnection}, HTTP/1.1 on a socket, TLS by JSSE). Healthy
 * on any HTTP response, or only on the expected status when one is set: an API server answering 401 or 403 to an
 * anonymous request is up.
 *
 * <p>A socket rather than {@code HttpURLConnection} or {@code java.net.http}: the probe runs on the health monitor's
 * own thread and may block there; the newer client's selector and executor threads and classes made a probed daemon
 * about 12 MB larger, and the older one's per-request machinery cost the interpreted daemon more CPU than the TLS
 * records (docs/benchmarks.md, "Idle memory" and "What karp costs a node").
 *
 * <p>TLS, by the URL and {@code --health-ca}:
 * <ul>
 *   <li>with a CA file: the chain must lead to one of its certificates; the name is checked too, except for a
 *       loopback URL (a kubeadm API server certificate does not name 127.0.0.1, and only the local host can
 *       answer on loopback);</li>
 *   <li>loopback without a CA file: not verified. The probe asks "does my own API server answer?", and only
 *       this host can answer on 127.0.0.1;</li>
 *   <li>any other URL without a CA file: the JDK's default trust (the system's store) and name check.</li>
 * </ul>
 * Never through a proxy: a health check through a proxy checks the proxy. No redirect is followed (a 3xx is an
 * answer).
 *
 * <p>The connection is kept between probes (HTTP/1.1 keep-alive, as long as the server keeps it): a TLS handshake
 * in the interpreted daemon cost about 5 % of a core at one probe a second, a request on a kept connection a small
 * fraction of that. What is detected stays the same:
 * <ul>
 *   <li>a hung server: the request on the kept connection gets no answer within the timeout and the probe fails,
 *       as a fresh connection would; the connection is then closed, never reused;</li>
 *   <li>a dead or restarted server: the kept connection ends before an answer (or cannot be written to), and the
 *       probe opens a fresh connection within the same timeout, with a handshake, so a new certificate is checked
 *       as on the first connect and a stale connection alone never fails a probe;</li>
 *   <li>any failed or timed-out probe closes its connection.</li>
 * </ul>
 * The verdict is the status line. The rest of the answer is read so that the connection can be kept, for at most
 * {@link #REST_GRACE} and within the timeout: an answer that is long, slow or never ends costs the connection, never
 * the verdict.
 *
 * <p>Probes never overlap ({@link HealthMonitor} runs one at a time), so the kept connection needs no lock; only
 * {@link #close()} may come from another thread.
 */
public final class HttpProbe implements HealthProbe {
    /** A readiness answer is a few bytes ({@code ok}) to a few KB (the verbose list); more is not worth keeping for. */
    static final int MAX_KEPT_BODY = 64 * 1024;
    /**
     * How long the rest of an answer (headers, body) may take after its status line: it follows at once (a server
     * may send the body in a write, so a TLS record, of its own), and one that lags costs the connection only.
     */
    static final Duration REST_GRACE = Duration.ofMillis(200);

    private final HealthCheck.Http target;
    /** Null for http. */
    private final SSLSocketFactory tls;
    private final String host;
    private final int port;
    private final byte[] request;
    private volatile HttpConnection kept;
    private volatile boolean closed;

    private HttpProbe(HealthCheck.Http target, SSLSocketFactory tls) {
        this.target = target;
        this.tls = tls;
        URI url = target.url();
        String h = url.getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = url.getPort() >= 0 ? url.getPort() : tls != null ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        this.request = ("GET " + path + query + " HTTP/1.1\r\nHost: " + url.getRawAuthority()
                + "\r\nUser-Agent: karp-health-check\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * @throws IllegalArgumentException naming {@code --health-ca} when the file holds no usable certificate
     */
    public static HttpProbe create(HealthCheck.Http target) {
        Objects.requireNonNull(target, "target");
        boolean https = target.url().getScheme().equalsIgnoreCase("https");
        return new HttpProbe(target, https ? sslContext(target).getSocketFactory() : null);
    }

    private static SSLContext sslContext(HealthCheck.Http target) {
        try {
            if (target.ca().isEmpty()) {
                if (!target.loopback()) {
                    return SSLContext.getDefault();
                }
                return context(new TrustAnything());
            }
            X509ExtendedTrustManager pinned = trustManager(readCertificates(target.ca().get()));
            return context(target.loopback() ? new ChainOnly(pinned) : pinned);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the health check: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(TrustManager tm) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    static Collection<? extends Certificate> readCertificates(Path file) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("--health-ca " + file + " cannot be read as PEM certificates: "
                    + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("--health-ca " + file + " holds no certificate (expected PEM, e.g."
                    + " /etc/kubernetes/pki/ca.crt)");
        }
        return certs;
    }

    private static X509ExtendedTrustManager trustManager(Collection<? extends Certificate> certs)
            throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public ProbeResult probe(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(1, timeout.toNanos());
        HttpConnection c = kept;
        kept = null;
        boolean keep = false;
        try {
            int status = -1;
            if (c != null) {
                try {
                    status = c.request(request, deadline);
                } catch (SocketTimeoutException e) {
                    throw e; // a hung server, not a stale connection
                } catch (IOException e) {
                    // The kept connection ended before an answer: the server closed it (idle, restarted).
                    c.close();
                    c = null;
                }
            }
            if (c == null) {
                c = HttpConnection.open(host, port, tls, tls != null && !target.loopback(), deadline);
                status = c.request(request, deadline);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            keep = c.finish(status, MAX_KEPT_BODY, Math.min(deadline, System.nanoTime() + REST_GRACE.toNanos()));
            if (target.expectStatus().isPresent() && status != target.expectStatus().getAsInt()) {
                return ProbeResult.failed("HTTP " + status + " (expected: " + target.expectStatus().getAsInt() + ")");
            }
            return ProbeResult.passed("HTTP " + status);
        } catch (HttpConnection.ConnectTimeout e) {
            return ProbeResult.failed("cannot connect within " + Durations.format(timeout));
        } catch (IOException | RuntimeException e) {
            return ProbeResult.failed(reason(e, timeout));
        } finally {
            if (c != null) {
                if (keep && !closed) {
                    kept = c;
                    if (closed) { // close() ran in between and may have missed this connection
                        close();
                    }
                } else {
                    c.close();
                }
            }
        }
    }

    /** Closes the kept connection; a probe after this still works, on a connection it does not keep. */
    @Override
    public void close() {
        closed = true;
        HttpConnection c = kept;
        kept = null;
        if (c != null) {
            c.close();
        }
    }

    /** One line a user can act on; exception classes say more than their (often empty) messages. */
    static String reason(Throwable t, Duration timeout) {
        Throwable root = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            root = c;
            if (c instanceof SocketTimeoutException) {
                return "no answer within " + Durations.format(timeout);
            }
            if (c instanceof ConnectException) {
                String m = deepestMessage(c);
                return m.isEmpty() || m.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused"
                        : "cannot connect: " + m;
            }
            if (c instanceof SSLException) {
                return "TLS failed: " + deepestMessage(c) + "; check --health-ca and the URL's host name";
            }
        }
        String m = deepestMessage(t);
        return m.isEmpty() ? root.getClass().getSimpleName() : m;
    }

    private static String deepestMessage(Throwable t) {
        String m = "";
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                m = c.getMessage();
            }
        }
        return m;
    }

    @Override
    public String describe() {
        return target.describe();
    }

    /** Accepts any server certificate: for loopback URLs without a CA (see the class comment). */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Checks the chain against the CA but not the host name. JSSE checks the name inside the extended
     * {@code checkServerTrusted(..., engine)} of its own trust manager; calling the plain two-argument form skips
     * exactly that.
     */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509TrustManager delegate;

        ChainOnly(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
