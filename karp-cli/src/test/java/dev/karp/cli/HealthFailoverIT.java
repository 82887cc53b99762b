package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.lab.ThreeNodeLab;
import dev.karp.sniff.CapturedFrame;
import dev.karp.status.StatusSnapshot;
import dev.karp.testing.PcapReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
class HealthFailoverIT extends ThreeNodeLab {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String HEALTH_URL = "https://127.0.0.1:6443/readyz";
    /** advbase 0: adverts every 26/256 s from n1, 51/256 s from n2, 77/256 s from n3; health probes every 250 ms. */
    private static final int[] SKEWS = {26, 51, 77};

    private final Map<LabHost, LabProcess> apiServers = new HashMap<>();

    @Test
    void stoppingTheApiServerOnTheMasterMovesTheVipToAHealthyNode() throws Exception {
        startCluster(false);

        apiServers.get(n1).kill();

        assertThat(Await.until(PATIENCE, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();
        StatusSnapshot s1 = lab.fetch(n1);
        assertThat(s1.health()).startsWith("failing: ");
        assertThat(s1.advskew()).isEqualTo(240);
        assertThat(health(n2)).startsWith("ok");
    }

    @Test
    void restoringTheApiServerDoesNotMoveTheVipBackWithoutPreempt() throws Exception {
        startCluster(false);
        apiServers.get(n1).kill();
        assertThat(Await.until(PATIENCE, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();

        apiServers.put(n1, lab.startApiServer(n1));

        assertThat(Await.until(PATIENCE, () -> health(n1).equals("ok"))).as(lab.logs())
                .isTrue();
        assertThat(advskew(n1)).isEqualTo(SKEWS[0]);
        assertThat(Await.holdsFor(Duration.ofSeconds(3), () -> lab.heldBy(n2))).as(lab.logs()).isTrue();
    }

    @Test
    void withPreemptARecoveredNodeTakesTheVipBack() throws Exception {
        startCluster(true);
        apiServers.get(n1).kill();
        assertThat(Await.until(PATIENCE, () -> lab.heldBy(n2))).as(lab.logs()).isTrue();

        apiServers.put(n1, lab.startApiServer(n1));

        assertThat(Await.until(PATIENCE, () -> lab.heldBy(n1))).as(lab.logs()).isTrue();
    }

    @Test
    void withEveryApiServerDownExactlyOneNodeStillHoldsTheVip() throws Exception {
        startCluster(false);

        for (LabProcess api : apiServers.values()) {
            api.kill();
        }

        assertThat(Await.until(PATIENCE, () -> lab.nodes().stream()
                .allMatch(n -> health(n).startsWith("failing")))).as(lab.logs()).isTrue();
        assertThat(Await.untilStable(PATIENCE, Duration.ofSeconds(3), () -> lab.holders().size() == 1)).as(lab.logs()).isTrue();
        assertThat(lab.nodes()).allSatisfy(n -> assertThat(advskew(n)).isEqualTo(240));
    }

    @Test
    void aProbeThatHangsDoesNotDelayAdverts() throws Exception {
        // given: on n1, a listener that accepts and never answers, probed with a timeout longer than n2's
        // master-down interval (advbase 1 advskew 250: 3.98 s). n1's check never passes, so it is demoted to
        // advskew 240, still better than n2's 250: n1 stays master only if its adverts keep flowing while its
        // probes hang.
        NetnsThread inN1 = lab.thread(n1);
        ServerSocket silent = inN1.call(() -> new ServerSocket(6443, 50, InetAddress.getLoopbackAddress()));
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        inN1.submit(() -> {
            while (!silent.isClosed()) {
                held.add(silent.accept());
            }
            return null;
        });
        lab.startKarp(n1, "--advskew", "0", "--preempt", "--health-url", HEALTH_URL, "--health-timeout", "5s");
        lab.startKarp(n2, "--advskew", "250");
        assertThat(Await.until(PATIENCE, () -> lab.heldBy(n1)
                && lab.state(n2).equals("BACKUP"))).as(lab.logs()).isTrue();
        assertThat(Await.until(PATIENCE, () -> health(n1).contains("within 5s"))).as(lab.logs())
                .isTrue();
        long n2Transitions = lab.fetch(n2).transitions();

        // when: 15 s of hanging probes, each cut after 5 s
        LabProcess capture = lab.startCapture("adverts");
        boolean n1StaysMaster = Await.holdsFor(Duration.ofSeconds(15), () -> lab.heldBy(n1));
        capture.term();
        capture.waitFor(Duration.ofSeconds(10));
        silent.close();

        // then: n2 never took over, n1 advertised all along (every 1.94 s), and its probe really hung
        assertThat(n1StaysMaster).as(lab.logs()).isTrue();
        assertThat(lab.fetch(n2).transitions()).as(lab.logs()).isEqualTo(n2Transitions);
        assertThat(advertsFrom(lab.capturePath("adverts"), n1.address())).isGreaterThanOrEqualTo(6);
        assertThat(health(n1)).startsWith("failing: ").contains("within 5s");
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
            lab.startKarp(lab.node(i + 1), args.toArray(String[]::new));
            if (i == 0) {
                assertThat(Await.until(PATIENCE, () -> lab.heldBy(n1)
                        && health(n1).equals("ok"))).as(lab.logs()).isTrue();
            }
        }
        assertThat(Await.until(PATIENCE, () -> lab.nodes().stream()
                .allMatch(n -> health(n).equals("ok")))).as(lab.logs()).isTrue();
        assertThat(lab.holders()).as(lab.logs()).containsExactly(n1);
    }

    /** The node's health verdict, or "" while it does not answer or runs no check. */
    private String health(LabHost node) {
        return lab.status(node).map(StatusSnapshot::health).orElse("");
    }

    /** The node's advskew now (raised to 240 while its check fails), or -1 while it does not answer. */
    private int advskew(LabHost node) {
        return lab.status(node).map(StatusSnapshot::advskew).orElse(-1);
    }

    private static long advertsFrom(Path pcap, String src) throws IOException {
        byte[] address = InetAddress.getByName(src).getAddress();
        List<CapturedFrame> frames = PcapReader.read(Files.readAllBytes(pcap));
        return frames.stream().map(CapturedFrame::bytes)
                .filter(b -> b.length >= 34 && b[12] == 0x08 && b[13] == 0x00 && (b[23] & 0xff) == 112)
                .filter(b -> b[26] == address[0] && b[27] == address[1] && b[28] == address[2] && b[29] == address[3])
                .count();
    }
}
