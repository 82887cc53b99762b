package dev.karp.health;

import dev.karp.config.HealthCheck;
import dev.karp.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code GET URL} with {@link HttpURLConnection}. Healthy on any HTTP response, or only on the expected status
 * when one is set: an API server answering 401 or 403 to an anonymous request is up.
 *
 * <p>HttpURLConnection rather than {@code java.net.http}: the probe runs on the health monitor's own thread and
 * may block there, and the newer client's selector and executor threads and classes made a probed daemon about
 * 12 MB larger (docs/benchmarks.md, "Idle memory").
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
 * <p>The connection is kept between probes (HTTP keep-alive, the JDK's cache of idle connections, which closes
 * one after 5 s idle unless the server says otherwise): a TLS handshake in the interpreted daemon cost about 5 %
 * of a core at one probe a second, a request on a kept connection a small fraction of that (docs/benchmarks.md,
 * "What karp costs a node"). What is detected stays the same:
 * <ul>
 *   <li>a hung server: the request on the kept connection gets no answer within the timeout and the probe fails,
 *       as a fresh connection would; the connection is then closed, never reused;</li>
 *   <li>a dead or restarted server: the kept connection is found closed (checked before reuse, or the request
 *       fails to get an answer at all), and the JDK opens a fresh connection within the same probe, with a full
 *       handshake, so a new certificate is checked as on the first connect and a stale connection alone never
 *       fails a probe;</li>
 *   <li>any failed or timed-out probe closes its connection.</li>
 * </ul>
 */
public final class HttpProbe implements HealthProbe {
    /** Loopback: only this host can answer, so the certificate's names do not matter (see above). */
    private static final HostnameVerifier ANY_NAME = (String host, SSLSession session) -> true;
    /** A readiness answer is a few bytes ({@code ok}) to a few KB (the verbose list); more is not worth keeping for. */
    static final int MAX_KEPT_BODY = 64 * 1024;

    private final HealthCheck.Http target;
    private final SSLSocketFactory tls;

    private HttpProbe(HealthCheck.Http target, SSLSocketFactory tls) {
        this.target = target;
        this.tls = tls;
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
        long start = System.nanoTime();
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        HttpURLConnection c = null;
        boolean keep = false;
        try {
            c = (HttpURLConnection) target.url().toURL().openConnection(Proxy.NO_PROXY);
            if (c instanceof HttpsURLConnection s) {
                s.setSSLSocketFactory(tls);
                if (target.loopback()) {
                    s.setHostnameVerifier(ANY_NAME);
                }
            }
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestProperty("User-Agent", "karp-health-check");
            c.setConnectTimeout(millis);
            c.setReadTimeout(millis); // an HTTPS connect() includes the TLS handshake, which reads
            c.connect();
            // One budget for the whole probe: what the connection took is not available to the answer.
            long left = millis - (System.nanoTime() - start) / 1_000_000;
            c.setReadTimeout((int) Math.max(1, left));
            int status = c.getResponseCode();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // The status line is the answer. The body is read only so that the connection can be kept: a body
            // that is long, slow or never ends may cost the connection, never the verdict or the time.
            keep = drained(status >= 400 ? c.getErrorStream() : c.getInputStream());
            if (target.expectStatus().isPresent() && status != target.expectStatus().getAsInt()) {
                return ProbeResult.failed("HTTP " + status + " (expected: " + target.expectStatus().getAsInt() + ")");
            }
            return ProbeResult.passed("HTTP " + status);
        } catch (SocketTimeoutException e) {
            // "Connect timed out" from the TCP connect; "Read timed out" from the handshake or the answer.
            boolean connecting = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
            return ProbeResult.failed((connecting ? "cannot connect within " : "no answer within ")
                    + Durations.format(timeout));
        } catch (IOException | RuntimeException e) {
            return ProbeResult.failed(reason(e, timeout));
        } finally {
            if (c != null && !keep) {
                c.disconnect();
            }
        }
    }

    /**
     * Reads what has arrived of the body, at most {@link #MAX_KEPT_BODY} bytes, without waiting for more, and closes
     * it. A body that arrived whole (a readiness answer comes in the TLS record of its headers) returns the
     * connection to the JDK's keep-alive cache; for one still on its way the JDK decides, without blocking this
     * thread: the probe's answer is the status line, and the read timeout was set for that alone.
     *
     * @return false when the body was too long to keep the connection for, or could not be read
     */
    private static boolean drained(InputStream body) {
        if (body == null) {
            return true; // no body at all (e.g. Content-Length: 0): nothing left on the connection
        }
        try (body) {
            byte[] buf = new byte[512];
            long total = 0;
            while (body.available() > 0) {
                int n = body.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > MAX_KEPT_BODY) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
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
