package dev.karp.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(120)
class NetnsLabTest {

    private static final Duration PING = Duration.ofSeconds(3);

    private NetnsLab lab;

    @BeforeEach
    void buildLab() throws IOException {
        lab = NetnsLab.create();
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @Test
    void everyHostReachesEveryOtherHost() throws IOException {
        List<LabHost> hosts = lab.hosts();

        boolean allReach = true;
        for (LabHost from : hosts) {
            for (LabHost to : hosts) {
                if (from != to) {
                    allReach &= lab.ping(from, to.address(), 1, PING);
                }
            }
        }

        assertThat(allReach).isTrue();
    }

    @Test
    void hostsHaveTheDocumentedAddressesAndMacs() throws IOException {
        LabHost n2 = lab.node(2);

        List<String> addresses = lab.ipv4Addresses(n2, "eth0");
        String mac = lab.ipAddrJson(n2).findValues("address").stream()
                .map(v -> v.asText()).filter(a -> a.startsWith("02:")).findFirst().orElse("");

        assertThat(addresses).containsExactly("10.200.0.12/24");
        assertThat(mac).isEqualTo("02:00:00:00:00:12");
        assertThat(lab.hasAddress(n2, "eth0", "10.200.0.12")).isTrue();
    }

    @Test
    void partitionBlocksTrafficBothWaysBetweenGroupsOnly() throws IOException {
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);
        LabHost n3 = lab.node(3);

        lab.partition(List.of(List.of(n1), List.of(n2, n3, lab.client())));

        assertThat(lab.ping(n1, n2.address(), 1, PING)).as("n1 -> n2 across the partition").isFalse();
        assertThat(lab.ping(n2, n1.address(), 1, PING)).as("n2 -> n1 across the partition").isFalse();
        assertThat(lab.ping(n2, n3.address(), 1, PING)).as("n2 -> n3 on the same side").isTrue();
    }

    @Test
    void healRestoresTrafficAcrossTheFormerPartition() throws IOException {
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);
        lab.isolate(List.of(n1));

        lab.heal();

        assertThat(lab.ping(n1, n2.address(), 1, PING)).isTrue();
        assertThat(lab.ping(n2, n1.address(), 1, PING)).isTrue();
    }

    @Test
    void linkDownCutsTheNodeOffAndShowsNoCarrierUntilLinkUp() throws IOException {
        LabHost n1 = lab.node(1);

        lab.linkDown(n1);
        boolean pingWhileDown = lab.ping(lab.client(), n1.address(), 1, PING);
        String flagsWhileDown = lab.exec(n1, "ip", "link", "show", "eth0").stdout();
        lab.linkUp(n1);

        assertThat(pingWhileDown).isFalse();
        assertThat(flagsWhileDown).contains("NO-CARRIER");
        assertThat(Await.until(Duration.ofSeconds(5), () -> pingQuietly(lab.client(), n1.address()))).isTrue();
    }

    @Test
    void closeDeletesEveryNamespaceOfTheLab() throws IOException {
        List<String> namespaces = lab.namespaces();
        lab.startApiServer(lab.node(1));

        lab.close();

        String list = Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout();
        assertThat(namespaces).hasSize(5).allSatisfy(ns -> assertThat(list).doesNotContain(ns));
    }

    @Test
    void apiServerAnswersTlsOnPort6443() throws IOException {
        LabHost n1 = lab.node(1);
        lab.startApiServer(n1);

        ExecResult reply = lab.exec(lab.client(), "openssl", "s_client", "-connect", n1.address() + ":6443",
                "-brief");

        assertThat(reply.stderr() + reply.stdout()).contains("CONNECTION ESTABLISHED");
    }

    @Test
    void captureRecordsFramesCrossingTheBridge() throws IOException {
        LabProcess capture = lab.startCapture("ping");
        lab.ping(lab.node(1), lab.node(2).address(), 2, PING);

        capture.term();
        capture.waitFor(Duration.ofSeconds(10));

        ExecResult read = Exec.run(Duration.ofSeconds(10),
                List.of("tcpdump", "-n", "-r", lab.capturePath("ping").toString(), "icmp"));
        assertThat(read.stdout()).contains("10.200.0.11 > 10.200.0.12: ICMP echo request");
    }

    private boolean pingQuietly(LabHost from, String to) {
        try {
            return lab.ping(from, to, 1, Duration.ofSeconds(1));
        } catch (IOException e) {
            return false;
        }
    }
}
