package dev.karp.cli;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsThread;
import dev.karp.status.StatusClient;
import dev.karp.status.StatusException;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A {@link NetnsLab} with {@code karp run} started as users start it: {@code java -jar karp.jar run ...}
 * in a node's namespace. Adds what the scenario tests ask of karp: its status endpoint read from inside
 * the node's namespace (the endpoint listens on that namespace's loopback), and the VIP's holders.
 *
 * <p>Every node gets the same defaults, like a cluster: {@code -i eth0 -s <node address> -v 7
 * --password-file <lab>/password --vip 10.200.0.100/24}; an option given to {@link #startKarp} replaces
 * its default. Real ucarp on the same vhid uses {@link #UCARP_OPTIONS}, which agree.
 */
final class KarpLab implements AutoCloseable {
    static final String VIP = NetnsLab.VIP;
    static final String PASSWORD = "s3cret";
    /** What ucarp needs beyond the lab's defaults to join karp's group. */
    static final String[] UCARP_OPTIONS = {"--vhid=7", "--pass=" + PASSWORD, "--addr=" + VIP};

    /**
     * Bound for "the cluster has settled": JVM start (several JVMs at once on a busy 2-core machine),
     * 3 s master-down, plus ucarp's up to 1 s receive latency (ucarp-spec §1.6). Generous on purpose.
     */
    static final Duration SETTLE = Duration.ofSeconds(40);
    /** Bound for one failover or handover once everything runs: 3.x s expected, ucarp up to 5 s. */
    static final Duration FAILOVER = Duration.ofSeconds(20);
    /** How long an outcome must hold to count as settled (ucarps may flap for a second at start). */
    static final Duration STABLE = Duration.ofSeconds(2);

    private static final InetSocketAddress STATUS = new InetSocketAddress("127.0.0.1", 9241);

    private final NetnsLab lab;
    private final Path jar;
    private final Path passwordFile;
    private final Map<LabHost, NetnsThread> threads = new HashMap<>();
    private final List<LabProcess> karps = new ArrayList<>();
    private final StatusClient statusClient = new StatusClient(Duration.ofSeconds(2));

    private KarpLab(NetnsLab lab, Path jar) throws IOException {
        this.lab = lab;
        this.jar = jar;
        this.passwordFile = writePassword("password", PASSWORD);
    }

    /** A lab of {@code nodes} nodes and a client; fails if the jar has not been built. */
    static KarpLab create(int nodes) throws IOException {
        Path jar = Path.of(System.getProperty("karp.jar", "target/karp.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these are integration tests, run 'mvn verify'");
        }
        NetnsLab lab = NetnsLab.create(nodes);
        try {
            return new KarpLab(lab, jar);
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    NetnsLab lab() {
        return lab;
    }

    LabHost node(int i) {
        return lab.node(i);
    }

    LabHost client() {
        return lab.client();
    }

    /** Writes a password file (first line, newline ended, as UCarp's --passfile reads it) in the lab's dir. */
    Path writePassword(String name, String password) throws IOException {
        Path file = lab.dir().resolve(name);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Starts {@code java -jar karp.jar run} on {@code node} with the cluster defaults, then
     * {@code options}. The JVM flags keep four JVMs light on a small machine; they are not the
     * shipped launcher's.
     */
    LabProcess startKarp(LabHost node, String... options) throws IOException {
        List<String> argv = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "run"));
        // karp refuses an option given twice (docs/configuration.md), so a default goes only where no
        // option overrides it.
        List<String> given = List.of(options);
        String[][] defaults = {{"-i", node.iface()}, {"-s", node.address()}, {"-v", "7"},
            {"--password-file", passwordFile.toString()}, {"--vip", VIP + "/24"}};
        for (String[] d : defaults) {
            if (!given.contains(d[0])) {
                argv.addAll(List.of(d));
            }
        }
        argv.addAll(given);
        LabProcess p = lab.start(node, "karp-" + node.label() + "-" + karps.size(), argv.toArray(String[]::new));
        karps.add(p);
        return p;
    }

    /** Like {@link #startKarp}, then waits until its status endpoint answers (the JVM is up and the loop runs). */
    LabProcess startKarpAndAwaitStatus(LabHost node, String... options) throws IOException {
        LabProcess p = startKarp(node, options);
        boolean up = Await.until(SETTLE, () -> !p.isAlive() || status(node).isPresent());
        if (!up || !p.isAlive()) {
            throw new IllegalStateException("karp on " + node + " did not serve its status; log:\n" + p.logText());
        }
        return p;
    }

    /**
     * Like {@link #startKarp}, then waits until the node is MASTER; for starting a cluster on a chosen master.
     * JVMs started together are ready up to a second or so apart, and without --preempt whichever node
     * becomes master first stays master (correct CARP, but not a deterministic start for a test).
     */
    LabProcess startKarpAsMaster(LabHost node, String... options) throws IOException {
        LabProcess p = startKarp(node, options);
        if (!Await.until(SETTLE, () -> state(node).equals("MASTER"))) {
            throw new IllegalStateException("karp on " + node + " did not become MASTER; logs:\n" + logs());
        }
        return p;
    }

    /** Real ucarp (Debian) on {@code node} in karp's group, then {@code options}. */
    LabProcess startUcarp(LabHost node, String... options) throws IOException {
        List<String> argv = new ArrayList<>(List.of(UCARP_OPTIONS));
        argv.addAll(List.of(options));
        return lab.startUcarp(node, argv.toArray(String[]::new));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- observations ----

    /** {@code GET /status} of the karp on {@code node}, read inside its namespace; empty if it does not answer. */
    Optional<StatusSnapshot> status(LabHost node) {
        try {
            return Optional.of(fetch(node));
        } catch (StatusException e) {
            return Optional.empty();
        }
    }

    /** {@code GET /status} of the karp on {@code node}; fails if it does not answer. */
    StatusSnapshot fetch(LabHost node) throws StatusException {
        try {
            return thread(node).call(() -> statusClient.fetch(STATUS));
        } catch (StatusException e) {
            throw e;
        } catch (Exception e) {
            throw new StatusException("cannot read the status of " + node + ": " + e, e);
        }
    }

    /** The state karp on {@code node} reports ("MASTER", "BACKUP", "INIT"), or "none" if it does not answer. */
    String state(LabHost node) {
        return status(node).map(StatusSnapshot::state).orElse("none");
    }

    /** The master karp on {@code node} believes in, or "none". */
    String believedMaster(LabHost node) {
        return status(node).map(StatusSnapshot::master).orElse("none");
    }

    /** Whether karp on {@code node} believes in {@code master} within {@link #FAILOVER} (adverts take a moment). */
    boolean comesToFollow(LabHost node, LabHost master) {
        return Await.until(FAILOVER, () -> believedMaster(node).equals(master.address()));
    }

    private synchronized NetnsThread thread(LabHost node) throws IOException {
        NetnsThread t = threads.get(node);
        if (t == null) {
            t = lab.thread(node);
            threads.put(node, t);
        }
        return t;
    }

    /** The nodes holding the VIP now ({@code ip -j addr}); empty when it cannot be read. */
    List<LabHost> holders() {
        try {
            return lab.holders(VIP);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** True when exactly {@code expected} hold the VIP (in node order). */
    boolean heldBy(LabHost... expected) {
        return holders().equals(List.of(expected));
    }

    /** Whether the client gets answers from the VIP now (3 pings, within 3 s). */
    boolean clientReachesVip() {
        try {
            return lab.ping(lab.client(), VIP, 3, Duration.ofSeconds(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The MAC in the client's neighbour entry for the VIP, or "none". */
    String clientNeighMac() {
        try {
            return lab.neighMac(lab.client(), VIP).orElse("none");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pings the VIP from the client until it answers and its neighbour entry shows {@code mac} (bounded). */
    boolean clientReachesVipAt(String mac) {
        return Await.until(FAILOVER, () -> clientReachesVip() && clientNeighMac().equals(mac));
    }

    /** Waits until {@code condition} has held for {@link #STABLE}, within {@link #SETTLE}. */
    static boolean settles(BooleanSupplier condition) {
        return Await.untilStable(SETTLE, STABLE, condition);
    }

    /** Every log of the lab (karp, ucarp, scripts), for assertion messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(lab.dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                b.append("---- ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        } catch (IOException e) {
            b.append("(cannot read logs: ").append(e).append(")");
        }
        return b.toString();
    }

    @Override
    public void close() {
        lab.close();
    }
}
