package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.lab.Await;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.metrics.ScrapedMetrics;
import dev.karp.status.StatusSnapshot;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code karp status}, the metrics, {@code karp healthcheck} and the manifests' httpGet probe against two real {@code karp run} in the netns
 * lab: n1 (advskew 0, metrics on) is master, n2 (advskew 50) backup.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class StatusLabIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private NetnsLab lab;
    private LabHost n1;
    private LabHost n2;
    private LabProcess karp1;
    private LabProcess karp2;

    @BeforeAll
    void twoNodes() throws Exception {
        lab = NetnsLab.create(2);
        n1 = lab.node(1);
        n2 = lab.node(2);
        karp1 = lab.startKarpAsMaster(n1, "--advskew", "0", "--metrics-addr", "127.0.0.1:9242");
        karp2 = lab.startKarp(n2, "--advskew", "50");
        boolean settled = Await.until(NetnsLab.SETTLE, () -> lab.status(n1).map(s -> s.state().equals("MASTER")).orElse(false)
                && lab.status(n2).map(s -> "10.200.0.11".equals(s.master())).orElse(false));
        assertThat(settled).as("n1 master, n2 backup; logs:%n%s%n%s", karp1.logText(), karp2.logText())
                .isTrue();
    }

    @AfterAll
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private JsonNode statusJson(LabHost host) throws Exception {
        ExecResult r = lab.runKarp(host, "status", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    @Test
    void statusJsonOnTheMasterAndOnTheBackupAgreesOnWhoIsMaster() throws Exception {
        // when
        JsonNode master = statusJson(n1);
        JsonNode backup = statusJson(n2);

        // then
        assertThat(master.path("state").asText()).isEqualTo("MASTER");
        assertThat(backup.path("state").asText()).isEqualTo("BACKUP");
        assertThat(master.path("master").asText()).isEqualTo("10.200.0.11");
        assertThat(backup.path("master").asText()).isEqualTo("10.200.0.11");
        assertThat(master.path("vipPresent").asBoolean()).isTrue();
        assertThat(backup.path("vipPresent").asBoolean()).isFalse();
        assertThat(backup.path("peers").findValuesAsText("src")).contains("10.200.0.11");
    }

    @Test
    void theCountersMove() throws Exception {
        // given
        StatusSnapshot masterBefore = lab.status(n1).orElseThrow();
        StatusSnapshot backupBefore = lab.status(n2).orElseThrow();

        // when: a few advert intervals pass
        boolean moved = Await.until(Duration.ofSeconds(20), () ->
                lab.status(n1).map(s -> s.counters().sent() >= masterBefore.counters().sent() + 2).orElse(false)
                        && lab.status(n2).map(s -> s.counters().received() >= backupBefore.counters().received() + 2)
                        .orElse(false));

        // then
        assertThat(moved).as("before %s %s, now %s %s", masterBefore.counters(), backupBefore.counters(),
                lab.status(n1).map(StatusSnapshot::counters), lab.status(n2).map(StatusSnapshot::counters)).isTrue();
        JsonNode after = statusJson(n2);
        assertThat(after.path("counters").path("received").asLong()).isGreaterThan(backupBefore.counters().received());
    }

    @Test
    void thePlainStatusIsATableNamingTheMaster() throws Exception {
        // when
        ExecResult r = lab.runKarp(n2, "status");

        // then
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("state     BACKUP since ", "master    10.200.0.11\n",
                "vip       10.200.0.100/24 on eth0: absent", "          10.200.0.11 ");
    }

    @Test
    void scrapedMetricsMatchTheStatusEndpoint() throws Exception {
        // given: counters tick between two reads, so the scrape is taken between two status reads
        StatusSnapshot before = lab.status(n1).orElseThrow();

        // when
        ScrapedMetrics m = lab.metrics(n1);
        StatusSnapshot after = lab.status(n1).orElseThrow();

        // then
        assertThat(m.value("karp_state", "vhid", "7", "state", "MASTER")).hasValue(1);
        assertThat(m.value("karp_state", "vhid", "7", "state", "BACKUP")).hasValue(0);
        assertThat(m.value("karp_vip_present", "vhid", "7", "vip", "10.200.0.100/24", "interface", "eth0")).hasValue(1);
        assertThat(m.value("karp_healthy", "vhid", "7")).hasValue(1);
        assertThat(m.value("karp_advskew", "vhid", "7")).hasValue(after.advskew());
        assertThat(m.value("karp_transitions_total", "vhid", "7")).hasValue(after.transitions());
        assertThat(m.value("karp_state_since_timestamp_seconds", "vhid", "7").getAsDouble())
                .isCloseTo(after.since().toEpochMilli() / 1000.0, org.assertj.core.data.Offset.offset(0.001));
        between(m.value("karp_adverts_sent_total", "vhid", "7"), before.counters().sent(), after.counters().sent());
        between(m.value("karp_adverts_received_total", "vhid", "7"), before.counters().received(),
                after.counters().received());
        after.counters().rejected().forEach((reason, n) -> between(m.value("karp_adverts_rejected_total", "reason",
                reason.toLowerCase(Locale.ROOT)), before.counters().rejected().getOrDefault(reason, 0L), n));
        assertThat(m.find("karp_build_info")).isPresent();
    }

    private static void between(OptionalDouble value, long low, long high) {
        assertThat(value).isPresent();
        assertThat(value.getAsDouble()).isBetween((double) low, (double) high);
    }

    /**
     * What the manifests' {@code httpGet} probes do: the kubelet, on the host network, GETs {@code /healthz} on
     * loopback with a timeout and counts 200..399 as success. curl in the node's namespace stands in for it.
     */
    private ExecResult kubeletHttpGet(LabHost host) throws java.io.IOException {
        return lab.exec(host, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2",
                "http://127.0.0.1:9241/healthz");
    }

    /** Last: a backup frozen for seconds may take over for a moment when it wakes up. */
    @Test
    @Order(Integer.MAX_VALUE)
    void healthcheckFailsWhileTheDaemonIsStoppedAndPassesWhenItRuns() throws Exception {
        // given
        ExecResult running = lab.runKarp(n2, "healthcheck");
        ExecResult getRunning = kubeletHttpGet(n2);

        // when
        karp2.stop();
        long t0 = System.nanoTime();
        ExecResult stopped = lab.runKarp(n2, "healthcheck");
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        ExecResult getStopped = kubeletHttpGet(n2);
        karp2.cont();
        boolean back = Await.until(Duration.ofSeconds(20), () -> {
            try {
                return lab.runKarp(n2, "healthcheck", "-q").ok();
            } catch (java.io.IOException e) {
                return false;
            }
        });

        // then
        assertThat(running.exitCode()).as(running.stderr()).isZero();
        assertThat(running.stdout()).isEqualTo("ok: karp at 127.0.0.1:9241 is alive\n");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.stderr()).isEqualTo(
                "karp: unhealthy: karp's status endpoint at 127.0.0.1:9241 did not answer within 250ms\n");
        assertThat(getRunning.stdout()).as(getRunning.stderr()).isEqualTo("200");
        assertThat(getStopped.ok()).isFalse();
        assertThat(getStopped.stdout()).as("no status line from a stopped daemon").isEqualTo("000");
        assertThat(back).isTrue();
        System.out.println("karp healthcheck against a stopped daemon took " + elapsedMs + " ms, JVM start included");
    }
}
