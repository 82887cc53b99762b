package dev.karp.metrics;

import dev.karp.http.SmallHttpServer;
import dev.karp.http.SmallHttpServer.Request;
import dev.karp.http.SmallHttpServer.Response;
import dev.karp.status.StatusSnapshot;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Prometheus endpoint of {@code karp run --metrics-addr}: {@code GET /metrics} (and {@code /}) in the text
 * format the request accepts, from its own registry, so nothing but {@link KarpMetrics} is exposed. Served by
 * {@link SmallHttpServer}, like the status endpoint: users bind it to non-loopback addresses, and a client that
 * sends half a request must not block scrapes.
 */
public final class MetricsServer implements AutoCloseable {
    private static final int BACKLOG = 16;

    private final SmallHttpServer server;

    private MetricsServer(SmallHttpServer server) {
        this.server = server;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen; port 0 picks a free port (see {@link #address()})
     * @param status  the daemon's latest snapshot, read once per scrape
     * @param version karp's version for {@code karp_build_info}
     * @throws IOException if the address cannot be bound; the message names it
     */
    public static MetricsServer start(InetSocketAddress address, Supplier<StatusSnapshot> status, String version)
            throws IOException {
        return start(address, status, version, SmallHttpServer.Limits.DEFAULT);
    }

    /** As {@link #start(InetSocketAddress, Supplier, String)}, with other limits (for tests). */
    static MetricsServer start(InetSocketAddress address, Supplier<StatusSnapshot> status, String version,
            SmallHttpServer.Limits limits) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new KarpMetrics(status, version));
        ExpositionFormats formats = ExpositionFormats.init();
        try {
            return new MetricsServer(SmallHttpServer.start(address, BACKLOG, "karp-metrics", limits,
                    r -> handle(r, registry, formats)));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + hostPort(address) + " for metrics: " + e.getMessage()
                    + "; choose another --metrics-addr", e);
        }
    }

    private static Response handle(Request request, PrometheusRegistry registry, ExpositionFormats formats) {
        if (!request.path().equals("/metrics") && !request.path().equals("/")) {
            return text(404, "no such path: " + request.path() + " (try /metrics)\n", Map.of());
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return text(405, request.method() + " is not allowed; use GET\n", Map.of("Allow", "GET, HEAD"));
        }
        ExpositionFormatWriter writer = formats.findWriter(request.headers().get("accept"));
        if (!writer.isAvailable()) {
            // The protobuf format is left out of karp's image; the text format is what Prometheus scrapes anyway.
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        try {
            writer.write(body, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Response(200, writer.getContentType(), body.toByteArray(), Map.of("Cache-Control", "no-store"));
    }

    private static Response text(int code, String body, Map<String, String> headers) {
        return new Response(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The address actually bound (with the chosen port when started with port 0). */
    public InetSocketAddress address() {
        return server.address();
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Stops listening at once; scrapes in flight are cut off. */
    @Override
    public void close() {
        server.close();
    }
}
