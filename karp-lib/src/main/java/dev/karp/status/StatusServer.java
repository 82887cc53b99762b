package dev.karp.status;

import dev.karp.http.SmallHttpServer;
import dev.karp.http.SmallHttpServer.Request;
import dev.karp.http.SmallHttpServer.Response;
import dev.karp.log.KarpLogging;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The status endpoint of {@code karp run}: plain HTTP on one daemon thread that never waits for a client
 * ({@link SmallHttpServer}), so a slow or half-sent request cannot hold up {@code /healthz}.
 * <ul>
 *   <li>{@code GET /status}: the latest {@link StatusSnapshot} as JSON (200);</li>
 *   <li>{@code GET /healthz}: 200 {@code ok} while the daemon loop is alive, else 503 {@code stalled}
 *       (for {@code karp healthcheck} and container probes);</li>
 *   <li>any other path: 404; any other method: 405 with {@code Allow: GET}.</li>
 * </ul>
 * It listens where it is told. The default is loopback (127.0.0.1:9241); another address is accepted because
 * an operator may want it, and the configuration warns that the endpoint has no authentication.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = KarpLogging.logger(StatusServer.class);
    private static final int BACKLOG = 16;

    private final SmallHttpServer server;

    private StatusServer(SmallHttpServer server) {
        this.server = server;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen; port 0 picks a free port (see {@link #address()})
     * @param status  gives the latest snapshot; called on the server's thread for each request
     * @param alive   whether the daemon loop is alive (see {@link LoopHeartbeat})
     * @throws IOException if the address cannot be bound; the message names it
     */
    public static StatusServer start(InetSocketAddress address, Supplier<StatusSnapshot> status, BooleanSupplier alive)
            throws IOException {
        return start(address, status, alive, SmallHttpServer.Limits.DEFAULT);
    }

    /** As {@link #start(InetSocketAddress, Supplier, BooleanSupplier)}, with other limits (for tests). */
    static StatusServer start(InetSocketAddress address, Supplier<StatusSnapshot> status, BooleanSupplier alive,
            SmallHttpServer.Limits limits) throws IOException {
        try {
            return new StatusServer(SmallHttpServer.start(address, BACKLOG, "karp-status", limits,
                    r -> handle(r, status, alive)));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + hostPort(address) + " for the status endpoint: "
                    + e.getMessage() + "; choose another --status-addr or 'off'", e);
        }
    }

    /** The address actually bound (with the chosen port when started with port 0). */
    public InetSocketAddress address() {
        return server.address();
    }

    private static Response handle(Request request, Supplier<StatusSnapshot> status, BooleanSupplier alive) {
        String path = request.path();
        boolean known = path.equals("/status") || path.equals("/healthz");
        if (!known) {
            return json(404, error("no such path: " + path + " (try /status or /healthz)"), Map.of());
        }
        if (!request.method().equals("GET")) {
            return json(405, error(request.method() + " is not allowed; use GET"), Map.of("Allow", "GET"));
        }
        if (path.equals("/healthz")) {
            boolean ok = alive.getAsBoolean();
            return new Response(ok ? 200 : 503, "text/plain; charset=utf-8",
                    (ok ? "ok\n" : "stalled\n").getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-store"));
        }
        try {
            return json(200, StatusJson.write(status.get()), Map.of());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot build the status snapshot", e);
            return json(500, error("cannot build the status snapshot: " + e), Map.of());
        }
    }

    private static Response json(int code, byte[] body, Map<String, String> headers) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put("Cache-Control", "no-store");
        return new Response(code, "application/json", body, h);
    }

    private static byte[] error(String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        return ("{\"error\":\"" + escaped + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Stops listening at once and ends the thread; requests in flight are cut off. */
    @Override
    public void close() {
        server.close();
    }
}
