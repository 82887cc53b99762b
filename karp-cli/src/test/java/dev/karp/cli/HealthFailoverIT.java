package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.sniff.CapturedFrame;
import dev.karp.testing.PcapReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code karp run} (the packaged jar) with its health check, in network namespaces: each node has a stand-in API
 * server (TLS on :6443) and probes {@code https://127.0.0.1:6443/readyz}. Waits are bounded and generous; nothing
 * measures time.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
class HealthFailoverIT {
    private static final Path JAR = Path.of("target", "karp.jar");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String HEALTH_URL = "https://127.0.0.1:6443/readyz";
    /** advbase 0: adverts every 26/256 s from n1, 51/256 s from n2, 77/256 s from n3; health probes every 250 ms. */
    private static final int[] SKEWS = {26, 51, 77};

    private final ObjectMapper json = new ObjectMapper();
    private final Map<LabHost, LabProcess> apiServers = new HashMap<>();
    private final Map<LabHost, NetnsThread> threads = new HashMap<>();
    private NetnsLab lab;
    private Path password;

    @BeforeEach
    void lab() throws IOException {
        assertThat(JAR).as("the packaged jar (mvn package builds it)").exists();
        lab = NetnsLab.create(3);
        password = Files.writeString(lab.dir().resolve("password"), "it-secret\n");
    }

    @AfterEach
    void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void stoppingTheApiServerOnTheMasterMovesTheVipToAHealthyNode() throws Exception {
        startCluster(false);

        apiServers.get(lab.node(1)).kill();

        assertThat(Await.until(PATIENCE, () -> holders().equals(List.of("n2")))).as(logs()).isTrue();
        JsonNode n1 = status(lab.node(1));
        assertThat(n1.path("health").asText()).startsWith("failing: ");
        assertThat(n1.path("advskew").asInt()).isEqualTo(240);
        assertThat(status(lab.node(2)).path("health").asText()).startsWith("ok");
    }

    @Test
    void restoringTheApiServerDoesNotMoveTheVipBackWithoutPreempt() throws Exception {
        startCluster(false);
        apiServers.get(lab.node(1)).kill();
        assertThat(Await.until(PATIENCE, () -> holders().equals(List.of("n2")))).as(logs()).isTrue();

        apiServers.put(lab.node(1), lab.startApiServer(lab.node(1)));

        assertThat(Await.until(PATIENCE, () -> status(lab.node(1)).path("health").asText().equals("ok"))).as(logs())
                .isTrue();
        assertThat(status(lab.node(1)).path("advskew").asInt()).isEqualTo(SKEWS[0]);
        assertThat(Await.holdsFor(Duration.ofSeconds(3), () -> holders().equals(List.of("n2")))).as(logs()).isTrue();
    }

    @Test
    void withPreemptARecoveredNodeTakesTheVipBack() throws Exception {
        startCluster(true);
        apiServers.get(lab.node(1)).kill();
        assertThat(Await.until(PATIENCE, () -> holders().equals(List.of("n2")))).as(logs()).isTrue();

        apiServers.put(lab.node(1), lab.startApiServer(lab.node(1)));

        assertThat(Await.until(PATIENCE, () -> holders().equals(List.of("n1")))).as(logs()).isTrue();
    }

    @Test
    void withEveryApiServerDownExactlyOneNodeStillHoldsTheVip() throws Exception {
        startCluster(false);

        for (LabProcess api : apiServers.values()) {
            api.kill();
        }

        assertThat(Await.until(PATIENCE, () -> lab.nodes().stream()
                .allMatch(n -> status(n).path("health").asText().startsWith("failing")))).as(logs()).isTrue();
        assertThat(Await.untilStable(PATIENCE, Duration.ofSeconds(3), () -> holders().size() == 1)).as(logs()).isTrue();
        assertThat(lab.nodes()).allSatisfy(n -> assertThat(status(n).path("advskew").asInt()).isEqualTo(240));
    }

    @Test
    void aProbeThatHangsDoesNotDelayAdverts() throws Exception {
        // given: on n1, a listener that accepts and never answers, probed with a timeout longer than n2's
        // master-down interval (advbase 1 advskew 250: 3.98 s). n1's check never passes, so it is demoted to
        // advskew 240, still better than n2's 250: n1 stays master only if its adverts keep flowing while its
        // probes hang.
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);
        NetnsThread inN1 = lab.thread(n1);
        ServerSocket silent = inN1.call(() -> new ServerSocket(6443, 50, InetAddress.getLoopbackAddress()));
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        inN1.submit(() -> {
            while (!silent.isClosed()) {
                held.add(silent.accept());
            }
            return null;
        });
        startKarp(n1, "--advskew", "0", "--preempt", "--health-url", HEALTH_URL, "--health-timeout", "5s");
        startKarp(n2, "--advskew", "250");
        assertThat(Await.until(PATIENCE, () -> holders().equals(List.of("n1"))
                && status(n2).path("state").asText().equals("BACKUP"))).as(logs()).isTrue();
        assertThat(Await.until(PATIENCE, () -> status(n1).path("health").asText().contains("within 5s"))).as(logs())
                .isTrue();
        int n2Transitions = status(n2).path("transitions").asInt();

        // when: 15 s of hanging probes, each cut after 5 s
        LabProcess capture = lab.startCapture("adverts");
        boolean n1StaysMaster = Await.holdsFor(Duration.ofSeconds(15), () -> holders().equals(List.of("n1")));
        capture.term();
        capture.waitFor(Duration.ofSeconds(10));
        silent.close();

        // then: n2 never took over, n1 advertised all along (every 1.94 s), and its probe really hung
        assertThat(n1StaysMaster).as(logs()).isTrue();
        assertThat(status(n2).path("transitions").asInt()).as(logs()).isEqualTo(n2Transitions);
        assertThat(advertsFrom(lab.capturePath("adverts"), n1.address())).isGreaterThanOrEqualTo(6);
        assertThat(status(n1).path("health").asText()).startsWith("failing: ").contains("within 5s");
        for (Socket s : held) {
            s.close();
        }
    }

    // ---- fixture -------------------------------------------------------------------------------

    /**
     * API servers everywhere, karp on n1 (preferred), n2 and n3, all probing their API server. n1 starts first and
     * is master and healthy before the others start, so no start-up race decides who is master.
     */
    private void startCluster(boolean preempt) throws Exception {
        for (LabHost n : lab.nodes()) {
            apiServers.put(n, lab.startApiServer(n));
        }
        for (int i = 0; i < 3; i++) {
            List<String> args = new ArrayList<>(List.of("--advbase", "0", "--advskew", Integer.toString(SKEWS[i]),
                    "--health-url", HEALTH_URL, "--health-interval", "250ms"));
            if (preempt) {
                args.add("--preempt");
            }
            startKarp(lab.node(i + 1), args.toArray(String[]::new));
            if (i == 0) {
                assertThat(Await.until(PATIENCE, () -> holders().equals(List.of("n1"))
                        && status(lab.node(1)).path("health").asText().equals("ok"))).as(logs()).isTrue();
            }
        }
        assertThat(Await.until(PATIENCE, () -> lab.nodes().stream()
                .allMatch(n -> status(n).path("health").asText().equals("ok")))).as(logs()).isTrue();
        assertThat(holders()).as(logs()).containsExactly("n1");
    }

    private void startKarp(LabHost node, String... options) throws IOException {
        List<String> argv = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-Xmx64m", "-jar",
                JAR.toAbsolutePath().toString(), "run", "-i", node.iface(), "-s", node.address(), "-v", "7",
                "--password-file", password.toString(), "--vip", NetnsLab.VIP + "/24"));
        argv.addAll(List.of(options));
        lab.start(node, "karp-" + node.label(), argv.toArray(String[]::new));
    }

    private List<String> holders() {
        try {
            return lab.holders(NetnsLab.VIP).stream().map(LabHost::label).toList();
        } catch (IOException e) {
            return List.of("?");
        }
    }

    /**
     * GET /status of the node's karp, from a thread in its namespace (a plain socket, so no connection is shared
     * between namespaces); an empty object if it does not answer after a few tries.
     */
    private JsonNode status(LabHost node) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                NetnsThread t = threads.get(node);
                if (t == null) {
                    t = lab.thread(node);
                    threads.put(node, t);
                }
                String body = t.call(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9241), 2000);
                        s.setSoTimeout(2000);
                        OutputStream out = s.getOutputStream();
                        out.write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
                    }
                });
                return json.readTree(body);
            } catch (Exception e) {
                // not up yet, or busy: try again
            }
        }
        return json.createObjectNode();
    }

    private static long advertsFrom(Path pcap, String src) throws IOException {
        byte[] address = InetAddress.getByName(src).getAddress();
        List<CapturedFrame> frames = PcapReader.read(Files.readAllBytes(pcap));
        return frames.stream().map(CapturedFrame::bytes)
                .filter(b -> b.length >= 34 && b[12] == 0x08 && b[13] == 0x00 && (b[23] & 0xff) == 112)
                .filter(b -> b[26] == address[0] && b[27] == address[1] && b[28] == address[2] && b[29] == address[3])
                .count();
    }

    private String logs() {
        StringBuilder sb = new StringBuilder("holders " + holders());
        for (LabHost n : lab.nodes()) {
            Path log = lab.dir().resolve("karp-" + n.label() + ".log");
            try {
                sb.append("\n--- ").append(n.label()).append('\n').append(Files.exists(log) ? Files.readString(log) : "(no log)");
            } catch (IOException e) {
                sb.append(e);
            }
        }
        return sb.toString();
    }
}
