package dev.karp.metrics;

import dev.karp.status.StatusSnapshot;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Prometheus endpoint of {@code karp run --metrics-addr}: the client library's HTTP server ({@code GET
 * /metrics}) on its own registry, so nothing but {@link KarpMetrics} is exposed, served by one daemon thread.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final InetSocketAddress address;

    private MetricsServer(HTTPServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
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
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new KarpMetrics(status, version));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "karp-metrics");
            t.setDaemon(true);
            return t;
        });
        try {
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(address.getAddress())
                    .port(address.getPort())
                    .registry(registry)
                    .executorService(executor)
                    .buildAndStart();
            return new MetricsServer(server, new InetSocketAddress(address.getAddress(), server.getPort()));
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IOException("cannot listen on " + hostPort(address) + " for metrics: " + e.getMessage()
                    + "; choose another --metrics-addr", e);
        }
    }

    /** The address actually bound (with the chosen port when started with port 0). */
    public InetSocketAddress address() {
        return address;
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
