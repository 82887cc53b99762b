package dev.karp.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.karp.log.KarpLogging;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The status endpoint of {@code karp run}: plain HTTP with the JDK's server, one daemon thread.
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

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<StatusSnapshot> status;
    private final BooleanSupplier alive;

    private StatusServer(HttpServer server, ExecutorService executor, Supplier<StatusSnapshot> status,
            BooleanSupplier alive) {
        this.server = server;
        this.executor = executor;
        this.status = status;
        this.alive = alive;
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
        HttpServer server;
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + hostPort(address) + " for the status endpoint: "
                    + e.getMessage() + "; choose another --status-addr or 'off'", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "karp-status");
            t.setDaemon(true);
            return t;
        });
        StatusServer s = new StatusServer(server, executor, status, alive);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** The address actually bound (with the chosen port when started with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/status") || path.equals("/healthz");
            if (!known) {
                send(exchange, 404, "application/json", error("no such path: " + path + " (try /status or /healthz)"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "application/json", error(exchange.getRequestMethod() + " is not allowed; use GET"));
                return;
            }
            if (path.equals("/healthz")) {
                boolean ok = alive.getAsBoolean();
                send(exchange, ok ? 200 : 503, "text/plain; charset=utf-8",
                        (ok ? "ok\n" : "stalled\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try {
                body = StatusJson.write(status.get());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot build the status snapshot", e);
                send(exchange, 500, "application/json", error("cannot build the status snapshot: " + e));
                return;
            }
            send(exchange, 200, "application/json", body);
        }
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
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
        server.stop(0);
        executor.shutdownNow();
    }
}
