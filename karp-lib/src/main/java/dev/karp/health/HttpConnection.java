package dev.karp.health;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection of {@link HttpProbe}, over TLS or not: a request written in one piece and the answer's
 * status line read within a deadline, then the rest of the answer read within a short grace so that the connection
 * can be used again.
 *
 * <p>Why not {@code HttpURLConnection}: in the interpreted daemon its per-request machinery (URL handling, header
 * maps, the keep-alive cache and its timer thread) cost more CPU than the TLS records themselves, and the probe
 * needs none of it (docs/benchmarks.md, "What karp costs a node").
 */
final class HttpConnection implements AutoCloseable {
    /** A status line or header line longer than this is not an API server's answer. */
    static final int MAX_LINE = 8 * 1024;

    /** The TCP socket under the TLS one: closed directly, so that closing never waits on the peer. */
    private final Socket raw;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[4096];
    private int pos;
    private int lim;
    private boolean used;
    private boolean http10;

    private HttpConnection(Socket raw, Socket socket) throws IOException {
        this.raw = raw;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Thrown by {@link #open} when the TCP connect itself did not complete in time. */
    static final class ConnectTimeout extends SocketTimeoutException {
        ConnectTimeout() {
            super("connect timed out");
        }
    }

    /**
     * Connects and, with a TLS factory, completes the handshake, all before the deadline.
     *
     * @param tls          null for plain HTTP
     * @param checkName    whether the TLS handshake checks the server's name against {@code host}
     */
    static HttpConnection open(String host, int port, SSLSocketFactory tls, boolean checkName, long deadline)
            throws IOException {
        Socket raw = new Socket(Proxy.NO_PROXY);
        try {
            raw.setTcpNoDelay(true);
            try {
                raw.connect(new InetSocketAddress(host, port), millisLeft(deadline));
            } catch (SocketTimeoutException e) {
                throw new ConnectTimeout();
            }
            if (tls == null) {
                return new HttpConnection(raw, raw);
            }
            SSLSocket s = (SSLSocket) tls.createSocket(raw, host, port, true);
            if (checkName) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
            }
            s.setSoTimeout(millisLeft(deadline));
            s.startHandshake();
            return new HttpConnection(raw, s);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Whether a request was sent on this connection before (a kept connection). */
    boolean used() {
        return used;
    }

    /**
     * Sends the request and reads the answer's status line, waiting until the deadline at most.
     *
     * @return the status code
     * @throws EOFException when the connection ends before the first byte of an answer (a kept connection the
     *                      server closed)
     */
    int request(byte[] request, long deadline) throws IOException {
        used = true;
        if (pos != lim) {
            throw new IOException("bytes left over from the previous answer");
        }
        out.write(request);
        out.flush();
        String status = line(deadline);
        if (status == null) {
            throw new EOFException("the connection closed without an answer");
        }
        // "HTTP/1.1 200 OK": the version, a blank, three digits.
        if (status.length() < 12 || !status.startsWith("HTTP/1.") || status.charAt(8) != ' '
                || !isDigits(status, 9, 12) || status.length() > 12 && status.charAt(12) != ' ') {
            throw new IOException("not an HTTP answer: " + printable(status));
        }
        http10 = status.charAt(7) == '0';
        return Integer.parseInt(status.substring(9, 12));
    }

    /**
     * Reads the rest of the answer (headers and body) so that the connection can carry the next request, waiting
     * for it until {@code until} at most.
     *
     * @return true when the whole answer came in time and the server keeps the connection: it can be used again
     */
    boolean finish(int status, int maxBody, long until) {
        try {
            return rest(status, maxBody, until);
        } catch (IOException e) {
            return false; // late, too long or malformed: the verdict stands, the connection goes
        }
    }

    private boolean rest(int status, int maxBody, long until) throws IOException {
        long contentLength = -1;
        boolean chunked = false;
        boolean keep = !http10;
        String h;
        while ((h = line(until)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                return false;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> keep = http10 ? value.contains("keep-alive") : !value.contains("close");
                default -> {
                }
            }
        }
        if (h == null || !keep) {
            return false; // the headers have not all arrived, or the server closes the connection
        }
        if (status / 100 == 1 || status == 204 || status == 304) {
            return contentLength <= 0 && !chunked;
        }
        if (chunked) {
            return skipChunks(maxBody, until);
        }
        if (contentLength < 0 || contentLength > maxBody) {
            return false; // a body until the server closes, or one too long to keep the connection for
        }
        return skip(contentLength, until);
    }

    private boolean skipChunks(int maxBody, long until) throws IOException {
        long total = 0;
        while (true) {
            String size = line(until);
            if (size == null) {
                return false;
            }
            int semicolon = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (n == 0) {
                String trailer;
                while ((trailer = line(until)) != null && !trailer.isEmpty()) {
                    // trailers carry nothing for a probe
                }
                return trailer != null;
            }
            total += n;
            if (n < 0 || total > maxBody || !skip(n, until)) {
                return false;
            }
            String end = line(until);
            if (end == null || !end.isEmpty()) {
                return false;
            }
        }
    }

    /** Skips n bytes; false when the stream ends before. */
    private boolean skip(long n, long until) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos == lim && fill(until) <= 0) {
                return false;
            }
            int k = (int) Math.min(left, lim - pos);
            pos += k;
            left -= k;
        }
        return true;
    }

    /** One line without its CRLF (or LF), or null at the end of the stream. */
    private String line(long deadline) throws IOException {
        StringBuilder sb = null;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    if (sb == null) {
                        return part;
                    }
                    sb.append(part);
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
            }
            // No end of line in the buffer yet: keep what is there, then read more.
            if (lim > pos) {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1));
                if (sb.length() > MAX_LINE) {
                    throw new IOException("a line of the answer is longer than " + MAX_LINE + " bytes");
                }
            }
            pos = 0;
            lim = 0;
            if (fill(deadline) <= 0) {
                return null;
            }
        }
    }

    /** Reads into the (empty) buffer, waiting until the deadline at most. */
    private int fill(long deadline) throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        socket.setSoTimeout(millisLeft(deadline));
        int n = in.read(buf, lim, buf.length - lim);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    /** What is left until the deadline, at least 1 ms (0 would mean "no timeout" to a socket). */
    static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void close() {
        try {
            raw.close();
        } catch (IOException e) {
            // nothing left to do with a connection that is gone
        }
    }
}
