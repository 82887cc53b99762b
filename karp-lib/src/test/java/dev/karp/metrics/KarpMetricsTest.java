package dev.karp.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.carp.DropReason;
import dev.karp.status.StatusSnapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KarpMetricsTest {
    private static final Instant SINCE = Instant.parse("2026-11-26T11:09:22Z");

    private static StatusSnapshot master() {
        return new StatusSnapshot("MASTER", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.11", SINCE, 2, true, null,
                List.of(new StatusSnapshot.Peer("10.200.0.12", 1, 50, 340)),
                new StatusSnapshot.Counters(120, 3, Map.of("BAD_DIGEST", 4L)),
                List.of(new StatusSnapshot.Transition(SINCE, "BACKUP", "MASTER", "master down")), null);
    }

    private static ScrapedMetrics text(KarpMetrics metrics) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
        return ScrapedMetrics.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCurrentStateIsOneAndTheOthersZero() throws IOException {
        // given
        KarpMetrics metrics = new KarpMetrics(KarpMetricsTest::master, "1.2.3");

        // when
        ScrapedMetrics m = text(metrics);

        // then
        assertThat(m.value("karp_state", "vhid", "7", "state", "MASTER")).hasValue(1);
        assertThat(m.value("karp_state", "vhid", "7", "state", "BACKUP")).hasValue(0);
        assertThat(m.value("karp_state", "vhid", "7", "state", "INIT")).hasValue(0);
        assertThat(m.value("karp_state_since_timestamp_seconds", "vhid", "7")).hasValue(SINCE.getEpochSecond());
    }

    @Test
    void countersCarryTheSnapshotsValuesWithTotalSuffixes() throws IOException {
        // given
        KarpMetrics metrics = new KarpMetrics(KarpMetricsTest::master, "1.2.3");

        // when
        ScrapedMetrics m = text(metrics);

        // then
        assertThat(m.value("karp_transitions_total", "vhid", "7")).hasValue(2);
        assertThat(m.value("karp_adverts_sent_total", "vhid", "7")).hasValue(120);
        assertThat(m.value("karp_adverts_received_total", "vhid", "7")).hasValue(3);
        assertThat(m.value("karp_adverts_rejected_total", "vhid", "7", "reason", "bad_digest")).hasValue(4);
    }

    @Test
    void everyRejectionReasonIsExposedFromTheStart() throws IOException {
        // given
        KarpMetrics metrics = new KarpMetrics(KarpMetricsTest::master, "1.2.3");

        // when
        ScrapedMetrics m = text(metrics);

        // then
        for (DropReason r : DropReason.values()) {
            assertThat(m.value("karp_adverts_rejected_total", "reason", r.name().toLowerCase(java.util.Locale.ROOT)))
                    .as(r.name()).isPresent();
        }
        assertThat(m.value("karp_adverts_rejected_total", "reason", "bad_ttl")).hasValue(0);
    }

    @Test
    void vipHealthAdvskewPeersAndBuildInfoAreGauges() throws IOException {
        // given
        KarpMetrics metrics = new KarpMetrics(KarpMetricsTest::master, "1.2.3");

        // when
        ScrapedMetrics m = text(metrics);

        // then
        assertThat(m.value("karp_vip_present", "vhid", "7", "vip", "10.200.0.100/24", "interface", "eth0")).hasValue(1);
        assertThat(m.value("karp_healthy", "vhid", "7")).hasValue(1);
        assertThat(m.value("karp_advskew", "vhid", "7")).hasValue(0);
        assertThat(m.value("karp_peers", "vhid", "7")).hasValue(1);
        assertThat(m.value("karp_build_info", "version", "1.2.3")).hasValue(1);
    }

    @Test
    void anUnhealthyNodeShowsZero() throws IOException {
        // given
        StatusSnapshot s = master();
        StatusSnapshot unhealthy = new StatusSnapshot("BACKUP", s.vip(), s.interfaceName(), s.vhid(), 1, 240, null,
                SINCE, 3, false, "unhealthy", List.of(), s.counters(), s.lastTransitions(), 3.9375);

        // when
        ScrapedMetrics m = text(new KarpMetrics(() -> unhealthy, "1.2.3"));

        // then
        assertThat(m.value("karp_healthy", "vhid", "7")).hasValue(0);
        assertThat(m.value("karp_vip_present", "vhid", "7")).hasValue(0);
        assertThat(m.value("karp_advskew", "vhid", "7")).hasValue(240);
        assertThat(m.value("karp_master_down_seconds", "vhid", "7")).hasValue(3.9375);
    }

    @Test
    void anUncheckedVipIsLeftOut() throws IOException {
        // given
        StatusSnapshot init = StatusSnapshot.of("INIT", "10.200.0.100/24", "eth0", 7, 1, 0, null, SINCE, 0);

        // when
        ScrapedMetrics m = text(new KarpMetrics(() -> init, "1.2.3"));

        // then
        assertThat(m.find("karp_vip_present")).isEmpty();
        assertThat(m.value("karp_state", "state", "INIT")).hasValue(1);
    }

    @Test
    void theServerAnswersAScrapeWithTheLatestSnapshot() throws IOException {
        // given
        AtomicReference<StatusSnapshot> current = new AtomicReference<>(master());
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                current::get, "1.2.3")) {
            ScrapedMetrics before = ScrapedMetrics.scrape(server.address());

            // when
            StatusSnapshot s = master();
            current.set(new StatusSnapshot(s.state(), s.vip(), s.interfaceName(), s.vhid(), 1, 0, s.master(), SINCE, 2,
                    true, null, s.peers(), new StatusSnapshot.Counters(121, 3, Map.of()), s.lastTransitions(), null));
            ScrapedMetrics after = ScrapedMetrics.scrape(server.address());

            // then
            assertThat(before.value("karp_adverts_sent_total")).hasValue(120);
            assertThat(after.value("karp_adverts_sent_total")).hasValue(121);
        }
    }

    @Test
    void aBusyAddressIsNamedWithTheOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // given
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());

            // when, then
            assertThatThrownBy(() -> MetricsServer.start(address, KarpMetricsTest::master, "1.2.3"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for metrics: ")
                    .hasMessageEndingWith("; choose another --metrics-addr");
        }
    }
}
