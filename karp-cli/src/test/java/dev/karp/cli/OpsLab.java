package dev.karp.cli;

import dev.karp.lab.Await;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsThread;
import dev.karp.metrics.ScrapedMetrics;
import dev.karp.status.StatusClient;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The netns lab plus the built karp.jar, for integration tests ({@code *IT}, run by failsafe after
 * {@code package}): starts {@code karp run} on nodes, runs other karp commands in a namespace, and reads a
 * node's status and metrics from inside its namespace (the endpoints listen on the namespace's loopback).
 */
final class OpsLab implements AutoCloseable {
    static final String VIP = NetnsLab.VIP;
    static final String PASSWORD = "s3cret";
    static final InetSocketAddress STATUS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9241);
    static final InetSocketAddress METRICS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9242);
    /** Long enough for a JVM to start and an election to settle on a busy machine; only the outcome counts. */
    static final Duration SETTLE = Duration.ofSeconds(40);

    final NetnsLab lab;
    final Path jar;
    final Path passwordFile;
    private final Map<LabHost, NetnsThread> threads = new HashMap<>();
    private final Map<LabHost, LabProcess> daemons = new HashMap<>();

    private OpsLab(NetnsLab lab, Path jar) throws IOException {
        this.lab = lab;
        this.jar = jar;
        this.passwordFile = lab.dir().resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
    }

    static OpsLab create(int nodes) throws IOException {
        Path jar = jar();
        return new OpsLab(NetnsLab.create(nodes), jar);
    }

    /** target/karp.jar of this module (failsafe runs in the module directory). */
    static Path jar() {
        Path jar = Path.of("target", "karp.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package' (mvn verify)");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line of {@code java -jar karp.jar ARGS} with a small heap (several JVMs share 2 cores). */
    List<String> karp(String... args) {
        List<String> argv = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-jar", jar.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    LabHost node(int i) {
        return lab.node(i);
    }

    /** Starts {@code karp run} on node {@code i} (advskew as given, extra options after). */
    LabProcess startKarp(int i, int advskew, String... extra) throws IOException {
        LabHost n = lab.node(i);
        List<String> args = new ArrayList<>(List.of("run", "-i", n.iface(), "-s", n.address(), "-v", "7",
                "--password-file", passwordFile.toString(), "--vip", VIP + "/24", "--advskew", Integer.toString(advskew)));
        args.addAll(List.of(extra));
        LabProcess p = lab.start(n, "karp-" + n.label(), karp(args.toArray(String[]::new)).toArray(String[]::new));
        daemons.put(n, p);
        return p;
    }

    /** Runs a karp command in {@code host}'s namespace and waits for it (60 s limit). */
    ExecResult run(LabHost host, String... args) throws IOException {
        return lab.exec(Duration.ofSeconds(60), host.netns(), karp(args).toArray(String[]::new));
    }

    private synchronized NetnsThread thread(LabHost host) throws IOException {
        NetnsThread t = threads.get(host);
        if (t == null) {
            t = lab.thread(host);
            threads.put(host, t);
        }
        return t;
    }

    /** The node's status, read from inside its namespace; empty while it does not answer. */
    Optional<StatusSnapshot> status(LabHost host) {
        try {
            return Optional.of(thread(host).call(() -> new StatusClient(Duration.ofSeconds(2)).fetch(STATUS)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Waits (bounded) until the node's status satisfies {@code condition}; the last status seen. */
    Optional<StatusSnapshot> awaitStatus(LabHost host, Predicate<StatusSnapshot> condition) {
        Await.until(SETTLE, () -> status(host).filter(condition).isPresent());
        return status(host);
    }

    /** GET /metrics from inside the node's namespace. */
    ScrapedMetrics metrics(LabHost host) throws Exception {
        return thread(host).call(() -> ScrapedMetrics.scrape(METRICS));
    }

    /** The karp run process of node {@code i}. */
    LabProcess daemon(int i) {
        return daemons.get(lab.node(i));
    }

    @Override
    public void close() {
        lab.close();
    }
}
