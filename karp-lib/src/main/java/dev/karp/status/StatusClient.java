package dev.karp.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * Reads a running {@code karp run}'s status endpoint (for {@code karp status}, {@code karp healthcheck} and
 * tests). Never goes through a proxy: the endpoint is local.
 */
public final class StatusClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** A status snapshot is well under 1 KiB; anything far larger is not karp. */
    private static final int MAX_BODY = 1 << 20;

    private final Duration timeout;

    /** @param timeout for connecting and for the answer, each */
    public StatusClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** @throws StatusException one line naming the address and what went wrong */
    public StatusSnapshot fetch(InetSocketAddress address) throws StatusException {
        Answer a = get(address, "/status");
        if (a.code() != 200) {
            throw new StatusException(where(address) + " answered HTTP " + a.code() + " to GET /status");
        }
        try {
            return StatusJson.read(a.body());
        } catch (IOException e) {
            throw new StatusException(where(address) + " sent something that is not a karp status: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Whether the daemon loop is alive ({@code GET /healthz} answered 200; 503 means stalled).
     *
     * @throws StatusException if the endpoint cannot be reached or answers something else
     */
    public boolean healthy(InetSocketAddress address) throws StatusException {
        Answer a = get(address, "/healthz");
        if (a.code() == 200 || a.code() == 503) {
            return a.code() == 200;
        }
        throw new StatusException(where(address) + " answered HTTP " + a.code() + " to GET /healthz");
    }

    private record Answer(int code, byte[] body) {
    }

    private Answer get(InetSocketAddress address, String path) throws StatusException {
        HttpURLConnection c = null;
        try {
            URL url = URI.create("http://" + StatusServer.hostPort(address) + path).toURL();
            c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setUseCaches(false);
            // No keep-alive: the JDK pools connections by host and port for the whole JVM, across network
            // namespaces, so a pooled 127.0.0.1:9241 could be another namespace's daemon.
            c.setRequestProperty("Connection", "close");
            int code = c.getResponseCode();
            InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream();
            byte[] body = in == null ? new byte[0] : readBounded(in);
            return new Answer(code, body);
        } catch (ConnectException e) {
            throw new StatusException("cannot reach " + where(address) + ": " + e.getMessage()
                    + "; is 'karp run' running with --status-addr " + StatusServer.hostPort(address) + "?", e);
        } catch (SocketTimeoutException e) {
            throw new StatusException(where(address) + " did not answer within " + timeout.toMillis() + "ms", e);
        } catch (IOException e) {
            throw new StatusException("cannot read " + where(address) + ": " + e, e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("answer larger than " + MAX_BODY + " bytes");
            }
            return body;
        }
    }

    private static String where(InetSocketAddress address) {
        return "karp's status endpoint at " + StatusServer.hostPort(address);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
