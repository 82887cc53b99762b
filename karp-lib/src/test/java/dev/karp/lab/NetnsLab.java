package dev.karp.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.metrics.ScrapedMetrics;
import dev.karp.status.StatusClient;
import dev.karp.status.StatusException;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away Ethernet segment in network namespaces, like shared/vectors/tools/setup.sh: N
 * node namespaces and one client namespace, each with an {@code eth0} veth whose peer sits on
 * bridge {@code br0} in a bridge namespace of its own. Nothing touches the host's interfaces:
 * every veth is created directly inside the lab's namespaces.
 *
 * <pre>
 *   n1  eth0 02:00:00:00:00:11 10.200.0.11/24 --- p1 \
 *   n2  eth0 02:00:00:00:00:12 10.200.0.12/24 --- p2 --- br0  (bridge namespace)
 *   n3  eth0 02:00:00:00:00:13 10.200.0.13/24 --- p3 /
 *   client eth0 02:00:00:00:00:50 10.200.0.50/24 - pc
 * </pre>
 *
 * IPv6 is off everywhere (no ND/MLD noise) unless the lab is made with {@link #create(int, boolean)
 * create(n, true)}: then every host also has {@code fd00:200::<last octet>/64} ({@link #ipv6Address}) and
 * its link-local address ({@link #linkLocal}), both usable at once (no duplicate address detection in
 * the lab). Loopback is up. Namespace names are
 * {@code karp-<pid>-<4 hex>-<label>}, so labs of parallel JVMs (and of one JVM) never clash, and
 * {@link #sweepStale()} can delete the leftovers of crashed JVMs. {@link #close()} kills every
 * process the lab started and deletes its namespaces; a JVM shutdown hook does the same if a
 * test never gets there.
 *
 * <p>Partitions move bridge ports onto separate bridges ({@code br1}, {@code br2}, ...) in the
 * bridge namespace, like unplugging cables into separate switches: reliable, instant, needs only
 * iproute2, and the hosts keep carrier (a partition is not a link failure). A capture on br0
 * sees only the hosts still on br0 during a partition.
 *
 * <p>The same lab serves the library's namespace tests and the integration tests of the built
 * {@code karp.jar} (karp-cli, through karp-lib's test-jar): {@link #startKarp} runs
 * {@code java -jar karp.jar run} on a node with one group's defaults (every node alike, like a
 * cluster: {@code -i eth0 -s <node address> -v 7 --password-file <lab>/password --vip 10.200.0.100/24};
 * an option given replaces its default), {@link #startUcarpInGroup} runs real ucarp in that group,
 * and {@link #status}, {@link #metrics} and {@link #holders()} observe them. The status and metrics
 * endpoints listen on each namespace's loopback, so they are read from a thread inside the node's
 * namespace.
 *
 * <p>The bridge can filter frames with nftables (table {@code bridge karp_lab} in the bridge namespace):
 * {@link #dropMulticast()} (a network that drops multicast, issue 15), {@link #cutOff} (one port
 * partitioned, issue 16), {@link #dropShare} (random loss with {@code numgen}); {@link #clearBridgeRules()}
 * lifts them all.
 */
public final class NetnsLab implements AutoCloseable {

    public static final String VIP = "10.200.0.100";
    /** The group's password, in {@link #passwordFile()}. */
    public static final String PASSWORD = "s3cret";
    /** What ucarp needs beyond {@link #startUcarp}'s options to join the group {@link #startKarp} starts. */
    public static final List<String> UCARP_OPTIONS = List.of("--vhid=7", "--pass=" + PASSWORD, "--addr=" + VIP);
    /** Where {@code karp run} serves its status (inside each node's namespace). */
    public static final InetSocketAddress STATUS = new InetSocketAddress("127.0.0.1", 9241);
    /** Where the tests ask {@code karp run} to serve its metrics ({@code --metrics-addr 127.0.0.1:9242}). */
    public static final InetSocketAddress METRICS = new InetSocketAddress("127.0.0.1", 9242);
    /**
     * Bound for "the cluster has settled": JVM start (several JVMs at once on a busy 2-core machine),
     * 3 s master-down, plus ucarp's up to 1 s receive latency (ucarp-spec §1.6). Generous on purpose:
     * only the outcome counts.
     */
    public static final Duration SETTLE = Duration.ofSeconds(40);
    /** Bound for one failover or handover once everything runs: 3.x s expected, ucarp up to 5 s. */
    public static final Duration FAILOVER = Duration.ofSeconds(20);
    /** How long an outcome must hold to count as settled (ucarps may flap for a second at start). */
    public static final Duration STABLE = Duration.ofSeconds(2);
    private static final String PREFIX = "karp-";
    private static final Pattern OURS = Pattern.compile("^karp-(\\d+)-[0-9a-f]{4}-[a-z0-9]+$");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    /** The IPv6 subnet of labs with IPv6 (common.md: fd00:200::/64 inside the namespaces). */
    public static final String IPV6_PREFIX = "fd00:200::";
    /** An IPv6 VIP in the lab's subnet, for IPv6 and dual-stack groups. */
    public static final String VIP6 = IPV6_PREFIX + "100";
    private static final String NFT_TABLE = "karp_lab";

    private final String id;
    private final String bridgeNs;
    private final List<LabHost> nodes;
    private final LabHost client;
    private final Path dir;
    private final List<LabProcess> processes = new ArrayList<>();
    private final List<NetnsThread> threads = new ArrayList<>();
    private final Set<String> extraBridges = new LinkedHashSet<>();
    private final boolean ipv6;
    /** The bridge's nftables rules now, in order (one line each), by what they do; empty: no table. */
    private final Map<String, String> bridgeRules = new java.util.LinkedHashMap<>();
    private final Set<String> createdNamespaces = new LinkedHashSet<>();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<LabHost, NetnsThread> observers = new HashMap<>();
    private final StatusClient statusClient = new StatusClient(Duration.ofSeconds(2));
    private final Thread shutdownHook;
    private int karps;
    private boolean closed;

    private NetnsLab(int nodeCount, boolean ipv6) throws IOException {
        if (nodeCount < 1 || nodeCount > 9) {
            throw new IllegalArgumentException("nodes " + nodeCount + " is out of range (expected: 1..9)");
        }
        String rnd = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));
        this.id = PREFIX + ProcessHandle.current().pid() + "-" + rnd;
        this.bridgeNs = id + "-br";
        this.ipv6 = ipv6;
        List<LabHost> n = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            n.add(new LabHost("n" + i, id + "-n" + i, "eth0", "10.200.0.1" + i, "02:00:00:00:00:1" + i, "p" + i));
        }
        this.nodes = List.copyOf(n);
        this.client = new LabHost("client", id + "-client", "eth0", "10.200.0.50", "02:00:00:00:00:50", "pc");
        this.dir = Files.createTempDirectory(id + "-");
        this.shutdownHook = new Thread(this::cleanUp, "netns-lab-cleanup-" + id);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A lab with three nodes and a client. */
    public static NetnsLab create() throws IOException {
        return create(3);
    }

    /** A lab with {@code nodeCount} (1..9) nodes and a client, IPv4 only. */
    public static NetnsLab create(int nodeCount) throws IOException {
        return create(nodeCount, false);
    }

    /**
     * A lab with {@code nodeCount} (1..9) nodes and a client; with {@code ipv6}, every host also gets
     * {@code fd00:200::<last octet of its IPv4 address>/64} and a link-local address, both usable when this
     * returns.
     */
    public static NetnsLab create(int nodeCount, boolean ipv6) throws IOException {
        NetnsSupport.assumeRootOrFail();
        sweepStale();
        NetnsLab lab = new NetnsLab(nodeCount, ipv6);
        try {
            lab.build();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() throws IOException {
        // 1. The bridge namespace and br0.
        addNamespace(bridgeNs);
        host("ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge");
        host("ip", "-n", bridgeNs, "link", "set", "br0", "up");
        // 2. Each host: namespace, IPv6 off before eth0 exists, veth pair made in place, port on br0.
        for (LabHost h : hosts()) {
            addNamespace(h.netns(), ipv6);
            recreateInterface(h);
        }
        if (ipv6) {
            awaitLinkLocals();
        }
        writePassword("password", PASSWORD);
    }

    private void addNamespace(String ns) throws IOException {
        addNamespace(ns, false);
    }

    /**
     * A namespace with IPv6 off, or on without duplicate address detection (accept_dad=0): a lab's addresses
     * are unique by construction, and DAD would leave link-locals tentative (unusable) for a second or more.
     * Router solicitations are off too (no router in the lab, less noise in captures).
     */
    private void addNamespace(String ns, boolean withIpv6) throws IOException {
        host("ip", "netns", "add", ns);
        createdNamespaces.add(ns);
        if (withIpv6) {
            exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0", "net.ipv6.conf.default.disable_ipv6=0",
                    "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                    "net.ipv6.conf.all.router_solicitations=0", "net.ipv6.conf.default.router_solicitations=0")
                    .orThrow();
        } else {
            exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
                    .orThrow();
        }
        host("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /** Link-locals appear once eth0 has carrier (the bridge side is up); wait for them, bounded. */
    private void awaitLinkLocals() throws IOException {
        for (LabHost h : hosts()) {
            if (!Await.until(Duration.ofSeconds(10), () -> linkLocalOrEmpty(h).isPresent())) {
                throw new IOException(h + " got no usable IPv6 link-local address on " + h.iface() + " within 10 s: "
                        + host("ip", "-n", h.netns(), "-6", "addr", "show", "dev", h.iface()).stdout());
            }
        }
    }

    // ---- topology ----

    /** The lab's id, the common prefix of its namespace names. */
    public String id() {
        return id;
    }

    public List<LabHost> nodes() {
        return nodes;
    }

    /** Node {@code i}, counting from 1 like the labels. */
    public LabHost node(int i) {
        return nodes.get(i - 1);
    }

    public LabHost client() {
        return client;
    }

    /** Nodes and client. */
    public List<LabHost> hosts() {
        return Stream.concat(nodes.stream(), Stream.of(client)).toList();
    }

    public String bridgeNamespace() {
        return bridgeNs;
    }

    /** Every namespace of the lab, bridge first. */
    public List<String> namespaces() {
        return List.copyOf(createdNamespaces);
    }

    /** The lab's directory for scripts, logs and captures. */
    public Path dir() {
        return dir;
    }

    // ---- commands ----

    /** Runs {@code command} in {@code host}'s namespace (20 s limit) and returns how it went. */
    public ExecResult exec(LabHost host, String... command) throws IOException {
        return exec(host.netns(), command);
    }

    /** Runs {@code command} in namespace {@code netns} (20 s limit). */
    public ExecResult exec(String netns, String... command) throws IOException {
        return exec(COMMAND_TIMEOUT, netns, command);
    }

    /** Runs {@code command} in namespace {@code netns}, killed after {@code timeout}. */
    public ExecResult exec(Duration timeout, String netns, String... command) throws IOException {
        // A test run started in the background of a non-interactive shell (`mvn verify &`) inherits SIGINT ignored,
        // and a JVM keeps an ignored SIGINT ignored: the Ctrl-C tests would wait for nothing. env puts it back as a
        // terminal's foreground job has it, and execs the command in place, as ip netns exec does.
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "env", "--default-signal=INT"));
        argv.addAll(List.of(command));
        return Exec.run(timeout, argv);
    }

    /** {@code ip -j addr show} in {@code host}'s namespace. */
    public JsonNode ipAddrJson(LabHost host) throws IOException {
        return json.readTree(host("ip", "-n", host.netns(), "-j", "addr", "show").stdout());
    }

    /** The IPv4 addresses on {@code iface}, as {@code 10.200.0.100/24}. */
    public List<String> ipv4Addresses(LabHost host, String iface) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode link : ipAddrJson(host)) {
            if (!link.path("ifname").asText().equals(iface)) {
                continue;
            }
            for (JsonNode a : link.path("addr_info")) {
                if (a.path("family").asText().equals("inet")) {
                    out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
                }
            }
        }
        return out;
    }

    /** The IPv6 addresses on {@code iface}, as {@code fd00:200::100/64}, link-local ones included. */
    public List<String> ipv6Addresses(LabHost host, String iface) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode a : inet6Entries(host, iface)) {
            out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
        }
        return out;
    }

    /**
     * The {@code addr_info} entries of family inet6 on {@code iface} ({@code ip -j -6 addr}): each has
     * {@code local}, {@code prefixlen}, {@code scope}, and flags such as {@code "tentative": true},
     * {@code "nodad": true}, {@code "deprecated": true}, {@code valid_life_time}, {@code preferred_life_time}.
     */
    public List<JsonNode> inet6Entries(LabHost host, String iface) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode link : json.readTree(host("ip", "-n", host.netns(), "-j", "-6", "addr", "show", "dev", iface)
                .stdout())) {
            for (JsonNode a : link.path("addr_info")) {
                if (a.path("family").asText().equals("inet6")) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** True when {@code ip} (no prefix; IPv4 or IPv6) is on {@code iface} in {@code host}'s namespace. */
    public boolean hasAddress(LabHost host, String iface, String ip) throws IOException {
        List<String> addresses = ip.contains(":") ? ipv6Addresses(host, iface) : ipv4Addresses(host, iface);
        return addresses.stream().anyMatch(a -> a.startsWith(ip + "/"));
    }

    /** Whether this lab was made with IPv6 ({@link #create(int, boolean)}). */
    public boolean hasIpv6() {
        return ipv6;
    }

    /** {@code host}'s global IPv6 address in a lab with IPv6: {@code fd00:200::11} for 10.200.0.11 (prefix /64). */
    public static String ipv6Address(LabHost host) {
        String v4 = host.address();
        return IPV6_PREFIX + v4.substring(v4.lastIndexOf('.') + 1);
    }

    /**
     * {@code host}'s IPv6 link-local address on eth0 (e.g. {@code fe80::ff:fe00:11}, no scope), the source of
     * its IPv6 CARP adverts.
     *
     * @throws IllegalStateException in a lab without IPv6
     */
    public String linkLocal(LabHost host) throws IOException {
        return linkLocalOrEmpty(host).orElseThrow(() -> new IllegalStateException(host + " has no usable link-local"
                + " address on " + host.iface() + (ipv6 ? "" : " (the lab was made without IPv6: create(n, true))")));
    }

    private Optional<String> linkLocalOrEmpty(LabHost host) {
        try {
            for (JsonNode a : inet6Entries(host, host.iface())) {
                if (a.path("scope").asText().equals("link") && !a.path("tentative").asBoolean(false)
                        && !a.path("dadfailed").asBoolean(false)) {
                    return Optional.of(a.path("local").asText());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The nodes that hold {@code ip} on eth0 right now. */
    public List<LabHost> holders(String ip) throws IOException {
        List<LabHost> out = new ArrayList<>();
        for (LabHost n : nodes) {
            if (hasAddress(n, n.iface(), ip)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The MAC {@code host}'s neighbour table holds for {@code ip}, if it has one (no FAILED/INCOMPLETE). */
    public Optional<String> neighMac(LabHost host, String ip) throws IOException {
        JsonNode entries = json.readTree(host("ip", "-n", host.netns(), "-j", "neigh", "show", "to", ip).stdout());
        for (JsonNode e : entries) {
            if (e.path("dst").asText().equals(ip) && e.has("lladdr")) {
                return Optional.of(e.path("lladdr").asText());
            }
        }
        return Optional.empty();
    }

    /** {@link #ping} over IPv6 ({@code ping -6}); {@code ip} is an IPv6 address without scope. */
    public boolean ping6(LabHost host, String ip, int count, Duration timeout) throws IOException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return exec(timeout.plusSeconds(5), host.netns(), "ping", "-6", "-n", "-q", "-c", Integer.toString(count),
                "-i", "0.2", "-w", Long.toString(seconds), ip).ok();
    }

    /**
     * Pings {@code ip} from {@code host}: true only if all {@code count} echo replies came back
     * within {@code timeout} (ping exits 0).
     */
    public boolean ping(LabHost host, String ip, int count, Duration timeout) throws IOException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return exec(timeout.plusSeconds(5), host.netns(), "ping", "-n", "-q", "-c", Integer.toString(count), "-i",
                "0.2", "-w", Long.toString(seconds), ip).ok();
    }

    // ---- processes ----

    /**
     * Starts {@code command} in {@code host}'s namespace; stdout and stderr go to
     * {@code <dir>/<logName>.log}. The lab kills it on close.
     */
    public LabProcess start(LabHost host, String logName, String... command) throws IOException {
        return start(host.netns(), logName, command);
    }

    /** {@link #start(LabHost, String, String...)} in any lab namespace (the bridge one, say). */
    public synchronized LabProcess start(String netns, String logName, String... command) throws IOException {
        // A test run started in the background of a non-interactive shell (`mvn verify &`) inherits SIGINT ignored,
        // and a JVM keeps an ignored SIGINT ignored: the Ctrl-C tests would wait for nothing. env puts it back as a
        // terminal's foreground job has it, and execs the command in place, as ip netns exec does.
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "env", "--default-signal=INT"));
        argv.addAll(List.of(command));
        Path log = dir.resolve(logName + ".log");
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LabProcess lp = new LabProcess(logName, p, log);
        processes.add(lp);
        return lp;
    }

    /**
     * Starts the Debian {@code ucarp} on {@code node} with line-buffered output and logging to
     * stderr ({@code -f none}), with these options first:
     * {@code --interface=eth0 --srcip=<node address> --upscript=<up> --downscript=<down>
     * --xparam=<label>}; {@code options} come after and so override them (vhid, pass, addr...).
     * The scripts log to {@code events.log} and run {@code ip addr add|del $2/24 dev $1}, like
     * the vectors' up.sh/down.sh.
     */
    public LabProcess startUcarp(LabHost node, String... options) throws IOException {
        Path[] scripts = ucarpScripts();
        List<String> argv = new ArrayList<>(List.of("stdbuf", "-oL", "-eL", "ucarp",
                "--interface=" + node.iface(), "--srcip=" + node.address(),
                "--upscript=" + scripts[0], "--downscript=" + scripts[1], "--xparam=" + node.label(),
                "--facility=none"));
        argv.addAll(List.of(options));
        return start(node, "ucarp-" + node.label() + "-" + processes.size(), argv.toArray(String[]::new));
    }

    /** The up and down scripts given to ucarp, written on first use. */
    public synchronized Path[] ucarpScripts() throws IOException {
        Path up = dir.resolve("up.sh");
        Path down = dir.resolve("down.sh");
        if (!Files.exists(up)) {
            writeScript(up, "UP", "add");
            writeScript(down, "DOWN", "del");
        }
        return new Path[] {up, down};
    }

    private void writeScript(Path file, String tag, String verb) throws IOException {
        // ucarp-spec §4.11: exec'd without a shell, $1 = interface, $2 = VIP, $3 = xparam.
        String body = "#!/bin/sh\n"
                + "echo \"$(date +%s.%N) " + tag + " node=$3 args=[$*]\" >> " + dir.resolve("events.log") + "\n"
                + "exec ip addr " + verb + " \"$2\"/24 dev \"$1\"\n";
        Files.writeString(file, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** What ucarp's scripts logged so far (one line per call). */
    public String events() throws IOException {
        Path f = dir.resolve("events.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /**
     * A stand-in Kubernetes API server on {@code node}: {@code openssl s_server} answering TLS
     * (and HTTP GET with a status page, {@code -www}) on port 6443 of every address of the
     * namespace, the VIP included. The certificate is self-signed for the node addresses and the
     * VIP. Returns once the port is listening.
     */
    public LabProcess startApiServer(LabHost node) throws IOException {
        Path[] pair = certificate();
        LabProcess p = start(node, "apiserver-" + node.label(), "openssl", "s_server", "-quiet", "-www",
                "-accept", "6443", "-cert", pair[0].toString(), "-key", pair[1].toString());
        boolean listening = Await.until(Duration.ofSeconds(10), () -> {
            try {
                return !exec(node, "ss", "-Hltn", "sport = :6443").stdout().isBlank();
            } catch (IOException e) {
                return false;
            }
        });
        if (!listening) {
            throw new IOException("the stand-in API server on " + node + " did not listen on 6443; see " + p.log()
                    + ":\n" + p.logText());
        }
        return p;
    }

    private synchronized Path[] certificate() throws IOException {
        Path cert = dir.resolve("apiserver.crt");
        Path key = dir.resolve("apiserver.key");
        if (!Files.exists(cert)) {
            StringBuilder san = new StringBuilder("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:" + VIP);
            nodes.forEach(n -> san.append(",IP:").append(n.address()));
            Exec.run(COMMAND_TIMEOUT, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=karp-lab",
                    "-addext", san.toString(), "-keyout", key.toString(), "-out", cert.toString())).orThrow();
        }
        return new Path[] {cert, key};
    }

    /**
     * Captures everything crossing br0 into {@code <dir>/<name>.pcap} with tcpdump, like the
     * vectors ({@code tcpdump -U -i br0 -w FILE}) plus {@code --immediate-mode}: without it the
     * frames of the last second are still in libpcap's ring when SIGTERM ends tcpdump, and are
     * lost. Returns once tcpdump is capturing; stop it with {@link LabProcess#term()} and
     * {@link LabProcess#waitFor} before reading the file.
     */
    public LabProcess startCapture(String name) throws IOException {
        Path file = dir.resolve(name + ".pcap");
        LabProcess p = start(bridgeNs, "tcpdump-" + name, "tcpdump", "-Z", "root", "-U", "--immediate-mode", "-n",
                "-i", "br0", "-w", file.toString());
        if (!p.awaitLog("listening on", Duration.ofSeconds(10))) {
            throw new IOException("tcpdump did not start on br0; see " + p.log() + ":\n" + p.logText());
        }
        return p;
    }

    /** Where {@link #startCapture(String)} writes. */
    public Path capturePath(String name) {
        return dir.resolve(name + ".pcap");
    }

    /**
     * A thread inside {@code host}'s namespace for in-process objects (PcapLink,
     * NetlinkVipManager); closed with the lab.
     */
    public synchronized NetnsThread thread(LabHost host) throws IOException {
        NetnsThread t = NetnsThread.enter(host.netns());
        threads.add(t);
        return t;
    }

    // ---- failures ----

    /** Deletes {@code host}'s eth0 (and so its veth peer on the bridge): the interface is gone. */
    public void deleteInterface(LabHost host) throws IOException {
        host("ip", "-n", host.netns(), "link", "del", host.iface());
    }

    /**
     * Creates {@code host}'s eth0 (again, after {@link #deleteInterface}): a veth pair made in
     * place, the peer on br0.
     */
    public void recreateInterface(LabHost host) throws IOException {
        host("ip", "-n", bridgeNs, "link", "add", host.bridgePort(), "type", "veth", "peer", "name", host.iface(),
                "netns", host.netns());
        host("ip", "-n", host.netns(), "link", "set", host.iface(), "address", host.mac());
        host("ip", "-n", host.netns(), "addr", "add", host.address() + "/24", "dev", host.iface());
        if (ipv6) {
            host("ip", "-n", host.netns(), "addr", "add", ipv6Address(host) + "/64", "dev", host.iface(), "nodad");
        }
        host("ip", "-n", host.netns(), "link", "set", host.iface(), "up");
        host("ip", "-n", bridgeNs, "link", "set", host.bridgePort(), "master", "br0");
        host("ip", "-n", bridgeNs, "link", "set", host.bridgePort(), "up");
    }

    /** Carrier loss on {@code host}: its bridge-side veth goes down, its eth0 shows NO-CARRIER. */
    public void linkDown(LabHost host) throws IOException {
        host("ip", "-n", bridgeNs, "link", "set", host.bridgePort(), "down");
    }

    /** Ends {@link #linkDown}. */
    public void linkUp(LabHost host) throws IOException {
        host("ip", "-n", bridgeNs, "link", "set", host.bridgePort(), "up");
    }

    /** {@code ip link set eth0 down} inside {@code host}: administratively down (ucarp-spec §4.8). */
    public void adminDown(LabHost host) throws IOException {
        host("ip", "-n", host.netns(), "link", "set", host.iface(), "down");
    }

    /** Ends {@link #adminDown}. */
    public void adminUp(LabHost host) throws IOException {
        host("ip", "-n", host.netns(), "link", "set", host.iface(), "up");
    }

    /**
     * Splits the segment: each group gets a bridge of its own; hosts in no group stay on br0
     * with the first group. Hosts keep carrier. Call {@link #heal()} to join everything again.
     */
    public synchronized void partition(List<List<LabHost>> groups) throws IOException {
        for (int g = 1; g < groups.size(); g++) {
            String br = "br" + g;
            if (extraBridges.add(br)) {
                host("ip", "-n", bridgeNs, "link", "add", br, "type", "bridge");
                host("ip", "-n", bridgeNs, "link", "set", br, "up");
            }
            for (LabHost h : groups.get(g)) {
                host("ip", "-n", bridgeNs, "link", "set", h.bridgePort(), "master", br);
            }
        }
        for (LabHost h : groups.isEmpty() ? List.<LabHost>of() : groups.get(0)) {
            host("ip", "-n", bridgeNs, "link", "set", h.bridgePort(), "master", "br0");
        }
    }

    /** Cuts {@code side} off from every other host (two groups: the rest, and {@code side}). */
    public void isolate(Collection<LabHost> side) throws IOException {
        List<LabHost> rest = hosts().stream().filter(h -> !side.contains(h)).toList();
        partition(List.of(rest, List.copyOf(side)));
    }

    /** Puts every port back on br0 and deletes the partition bridges. */
    public synchronized void heal() throws IOException {
        for (LabHost h : hosts()) {
            host("ip", "-n", bridgeNs, "link", "set", h.bridgePort(), "master", "br0");
        }
        for (String br : extraBridges) {
            host("ip", "-n", bridgeNs, "link", "del", br);
        }
        extraBridges.clear();
    }

    // ---- nftables on the bridge ----

    /**
     * The bridge forwards no multicast frame except IPv6 neighbour discovery, like a cloud network or a
     * hardened switch (issue 15): CARP and VRRP adverts to 224.0.0.18 or ff02::12 and IGMP/MLD are dropped;
     * broadcast (ARP) and unicast pass, and so do neighbour solicitations and advertisements (their
     * multicast is how IPv6 resolves addresses, which such networks answer or proxy).
     */
    public void dropMulticast() throws IOException {
        setBridgeRule("multicast", "meta pkttype multicast icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert }"
                + " accept; meta pkttype multicast counter drop");
    }

    /** Multicast passes again. */
    public void allowMulticast() throws IOException {
        removeBridgeRule("multicast");
    }

    /**
     * Drops every frame to and from {@code host}'s bridge port: a partition of one node with nftables, which
     * leaves the port on br0 and the carrier up (unlike {@link #isolate}, it combines with the other rules).
     */
    public void cutOff(LabHost host) throws IOException {
        setBridgeRule("cut " + host.bridgePort(), "iifname \"" + host.bridgePort() + "\" counter drop; oifname \""
                + host.bridgePort() + "\" counter drop");
    }

    /** Ends {@link #cutOff} for {@code host}. */
    public void reconnect(LabHost host) throws IOException {
        removeBridgeRule("cut " + host.bridgePort());
    }

    /**
     * Drops about {@code percent} % of all frames crossing the bridge, chosen at random per frame
     * ({@code numgen random mod 100 < percent}); 0 lifts it.
     */
    public void dropShare(int percent) throws IOException {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent " + percent + " is out of range (expected: 0..100)");
        }
        if (percent == 0) {
            removeBridgeRule("loss");
        } else {
            // nft wants the bound inside 0..99; everything is simply everything.
            setBridgeRule("loss", percent == 100 ? "counter drop" : "numgen random mod 100 < " + percent + " counter drop");
        }
    }

    /** Lifts every nftables rule of the bridge (deletes the table). */
    public synchronized void clearBridgeRules() throws IOException {
        bridgeRules.clear();
        applyBridgeRules();
    }

    /** {@code nft list table bridge karp_lab} in the bridge namespace (rules with their counters), or "". */
    public String bridgeRuleset() throws IOException {
        ExecResult r = exec(bridgeNs, "nft", "list", "table", "bridge", NFT_TABLE);
        return r.ok() ? r.stdout() : "";
    }

    private synchronized void setBridgeRule(String key, String rules) throws IOException {
        bridgeRules.put(key, rules);
        applyBridgeRules();
    }

    private synchronized void removeBridgeRule(String key) throws IOException {
        if (bridgeRules.remove(key) != null) {
            applyBridgeRules();
        }
    }

    /**
     * Replaces the table in one transaction ({@code nft -f}): the rules change atomically, with no moment
     * where an old rule is gone and the new one not yet in place.
     */
    private void applyBridgeRules() throws IOException {
        StringBuilder script = new StringBuilder();
        // "add" then "delete" makes deleting a table that is not there yet no error.
        script.append("add table bridge ").append(NFT_TABLE).append('\n');
        script.append("delete table bridge ").append(NFT_TABLE).append('\n');
        if (!bridgeRules.isEmpty()) {
            script.append("table bridge ").append(NFT_TABLE).append(" {\n");
            script.append("  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
            for (String rule : bridgeRules.values()) {
                for (String one : rule.split("; ")) {
                    script.append("    ").append(one).append('\n');
                }
            }
            script.append("  }\n}\n");
        }
        Path file = dir.resolve("bridge.nft");
        Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
        ExecResult r = exec(bridgeNs, "nft", "-f", file.toString());
        if (!r.ok()) {
            throw new IOException("nft refused the bridge rules (is nftables installed? apt-get install nftables): "
                    + r.stderr().strip() + "\n" + script);
        }
    }

    // ---- karp and ucarp in one group ----

    /**
     * The built {@code karp.jar}: system property {@code karp.jar} (failsafe sets it), else
     * {@code target/karp.jar}; fails if it has not been built.
     */
    public static Path karpJar() {
        Path jar = Path.of(System.getProperty("karp.jar", "target/karp.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package' (mvn verify)");
        }
        return jar;
    }

    /** The {@code java} of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command line of {@code java -jar JAR ARGS}. The JVM flags keep several JVMs light on a
     * small machine; they are not the shipped launcher's.
     */
    public static List<String> javaJar(Path jar, String... args) {
        List<String> argv = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-jar", jar.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** The command line of {@code java -jar karp.jar ARGS}. */
    public static List<String> karp(String... args) {
        return javaJar(karpJar(), args);
    }

    /** The group's password file (first line {@link #PASSWORD}). */
    public Path passwordFile() {
        return dir.resolve("password");
    }

    /** Writes a password file (first line, newline ended, as UCarp's --passfile reads it) in the lab's dir. */
    public Path writePassword(String name, String password) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        // As an operator would keep it: karp warns about a password file others can read.
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /**
     * Starts {@code java -jar karp.jar run} on {@code node} with the group's defaults, then
     * {@code options}; its log is {@code karp-<label>-<n>.log}.
     */
    public LabProcess startKarp(LabHost node, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run"));
        // karp refuses an option given twice (docs/configuration.md), so a default goes only where no
        // option overrides it.
        List<String> given = List.of(options);
        String[][] defaults = {{"-i", node.iface()}, {"-s", node.address()}, {"-v", "7"},
            {"--password-file", passwordFile().toString()}, {"--vip", VIP + "/24"}};
        for (String[] d : defaults) {
            if (!given.contains(d[0])) {
                args.addAll(List.of(d));
            }
        }
        args.addAll(given);
        String name;
        synchronized (this) {
            name = "karp-" + node.label() + "-" + karps++;
        }
        return start(node, name, karp(args.toArray(String[]::new)).toArray(String[]::new));
    }

    /** Like {@link #startKarp}, then waits until its status endpoint answers (the JVM is up and the loop runs). */
    public LabProcess startKarpAndAwaitStatus(LabHost node, String... options) throws IOException {
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
    public LabProcess startKarpAsMaster(LabHost node, String... options) throws IOException {
        LabProcess p = startKarp(node, options);
        if (!Await.until(SETTLE, () -> state(node).equals("MASTER"))) {
            throw new IllegalStateException("karp on " + node + " did not become MASTER; logs:\n" + logs());
        }
        return p;
    }

    /** Real ucarp on {@code node} in the group of {@link #startKarp} ({@link #UCARP_OPTIONS}), then {@code options}. */
    public LabProcess startUcarpInGroup(LabHost node, String... options) throws IOException {
        List<String> argv = new ArrayList<>(UCARP_OPTIONS);
        argv.addAll(List.of(options));
        return startUcarp(node, argv.toArray(String[]::new));
    }

    /** Runs a karp command ({@code java -jar karp.jar ARGS}) in {@code host}'s namespace and waits for it (60 s limit). */
    public ExecResult runKarp(LabHost host, String... args) throws IOException {
        return exec(Duration.ofSeconds(60), host.netns(), karp(args).toArray(String[]::new));
    }

    /** {@code GET /status} of the karp on {@code node}, read inside its namespace; empty if it does not answer. */
    public Optional<StatusSnapshot> status(LabHost node) {
        try {
            return Optional.of(fetch(node));
        } catch (StatusException e) {
            return Optional.empty();
        }
    }

    /** {@code GET /status} of the karp on {@code node}; fails if it does not answer. */
    public StatusSnapshot fetch(LabHost node) throws StatusException {
        try {
            return observer(node).call(() -> statusClient.fetch(STATUS));
        } catch (StatusException e) {
            throw e;
        } catch (Exception e) {
            throw new StatusException("cannot read the status of " + node + ": " + e, e);
        }
    }

    /** Waits (bounded by {@link #SETTLE}) until the node's status satisfies {@code condition}; the last status seen. */
    public Optional<StatusSnapshot> awaitStatus(LabHost node, Predicate<StatusSnapshot> condition) {
        Await.until(SETTLE, () -> status(node).filter(condition).isPresent());
        return status(node);
    }

    /** The state karp on {@code node} reports ("MASTER", "BACKUP", "INIT"), or "none" if it does not answer. */
    public String state(LabHost node) {
        return status(node).map(StatusSnapshot::state).orElse("none");
    }

    /** The master karp on {@code node} believes in, or "none". */
    public String believedMaster(LabHost node) {
        return status(node).map(StatusSnapshot::master).orElse("none");
    }

    /** Whether karp on {@code node} believes in {@code master} within {@link #FAILOVER} (adverts take a moment). */
    public boolean comesToFollow(LabHost node, LabHost master) {
        return Await.until(FAILOVER, () -> believedMaster(node).equals(master.address()));
    }

    /** {@code GET /metrics} ({@link #METRICS}) from inside the node's namespace. */
    public ScrapedMetrics metrics(LabHost node) throws Exception {
        return observer(node).call(() -> ScrapedMetrics.scrape(METRICS));
    }

    /** One thread per node for reading its endpoints, kept for the lab's life. */
    private synchronized NetnsThread observer(LabHost node) throws IOException {
        NetnsThread t = observers.get(node);
        if (t == null) {
            t = thread(node);
            observers.put(node, t);
        }
        return t;
    }

    /** The nodes holding the {@link #VIP} now ({@code ip -j addr}), in node order; empty when it cannot be read. */
    public List<LabHost> holders() {
        try {
            return holders(VIP);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** True when exactly {@code expected} hold the VIP (in node order). */
    public boolean heldBy(LabHost... expected) {
        return holders().equals(List.of(expected));
    }

    /** Whether the client gets answers from the VIP now (3 pings, within 3 s). */
    public boolean clientReachesVip() {
        try {
            return ping(client, VIP, 3, Duration.ofSeconds(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The MAC in the client's neighbour entry for the VIP, or "none". */
    public String clientNeighMac() {
        try {
            return neighMac(client, VIP).orElse("none");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the client gets answers from the IPv6 {@code vip} now (3 pings of {@code ping -6}, within 3 s). */
    public boolean clientReachesVip6(String vip) {
        try {
            return ping6(client, vip, 3, Duration.ofSeconds(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pings the IPv6 {@code vip} from the client until it answers and its neighbour entry shows {@code mac} (bounded). */
    public boolean clientReachesVip6At(String vip, String mac) {
        return Await.until(FAILOVER, () -> {
            try {
                return clientReachesVip6(vip) && neighMac(client, vip).orElse("none").equals(mac);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Pings the VIP from the client until it answers and its neighbour entry shows {@code mac} (bounded). */
    public boolean clientReachesVipAt(String mac) {
        return Await.until(FAILOVER, () -> clientReachesVip() && clientNeighMac().equals(mac));
    }

    /** Waits until {@code condition} has held for {@link #STABLE}, within {@link #SETTLE}. */
    public static boolean settles(BooleanSupplier condition) {
        return Await.untilStable(SETTLE, STABLE, condition);
    }

    /** Every log of the lab (karp, ucarp, scripts, API servers), for assertion messages. */
    public String logs() {
        StringBuilder b = new StringBuilder("VIP holders " + holders() + "\n");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                b.append("---- ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        } catch (IOException e) {
            b.append("(cannot read logs: ").append(e).append(")");
        }
        return b.toString();
    }

    // ---- cleanup ----

    /** Kills everything the lab started and deletes its namespaces. Idempotent. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook is running or ran
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        // 1. Processes first (a SIGSTOPped one dies from SIGKILL too), then in-JVM namespace threads.
        processes.forEach(LabProcess::close);
        threads.forEach(NetnsThread::close);
        // 2. Anything else still running in the namespaces (script children), then the namespaces.
        List<String> reversed = new ArrayList<>(createdNamespaces);
        Collections.reverse(reversed);
        for (String ns : reversed) {
            deleteNamespace(ns);
        }
        // 3. The directory, unless asked to keep it for a post-mortem.
        if (!Boolean.getBoolean("karp.lab.keep")) {
            deleteTree(dir);
        }
    }

    /**
     * Deletes namespaces named like a lab's ({@code karp-<pid>-<hex>-<label>}) whose JVM is gone:
     * leftovers of a crashed or killed test run. Namespaces of running JVMs are left alone.
     */
    public static void sweepStale() {
        ExecResult list = Exec.runUnchecked(COMMAND_TIMEOUT, List.of("ip", "netns", "list"));
        for (String line : list.stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            Matcher m = OURS.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                deleteNamespace(name);
            }
        }
    }

    private static void deleteNamespace(String ns) {
        ExecResult pids = Exec.runUnchecked(COMMAND_TIMEOUT, List.of("ip", "netns", "pids", ns));
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                Exec.runUnchecked(COMMAND_TIMEOUT, List.of("kill", "-KILL", pid));
            }
        }
        ExecResult del = Exec.runUnchecked(COMMAND_TIMEOUT, List.of("ip", "netns", "del", ns));
        if (!del.ok() && !del.stderr().contains("No such file")) {
            System.err.println("netns lab: cannot delete namespace " + ns + ": " + del.stderr().strip());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("netns lab: cannot delete " + root + ": " + e.getMessage());
        }
    }

    private static ExecResult host(String... command) throws IOException {
        return Exec.run(COMMAND_TIMEOUT, List.of(command)).orThrow();
    }
}
