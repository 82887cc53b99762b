package dev.karp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 12 item 1: the metrics endpoint, often bound to non-loopback addresses, cannot be stalled either. */
@Timeout(60)
class MetricsServerStallTest {

    private static StatusSnapshot snapshot() {
        return StatusSnapshot.of("BACKUP", "10.200.0.100/24", "eth0", 7, 1, 0, "10.200.0.12",
                Instant.parse("2026-11-26T11:09:22Z"), 1);
    }

    @Test
    void aScrapeIsAnsweredWhileClientsHoldHalfSentRequests() throws IOException {
        List<Socket> slow = new ArrayList<>();
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                MetricsServerStallTest::snapshot, "1.2.3")) {
            // given
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket(server.address().getAddress(), server.address().getPort());
                s.getOutputStream().write('G');
                s.getOutputStream().flush();
                slow.add(s);
            }

            // when: ScrapedMetrics reads with a 5 s limit, which a blocked server never meets
            ScrapedMetrics m = ScrapedMetrics.scrape(server.address());

            // then
            assertThat(m.value("karp_state", "state", "BACKUP")).hasValue(1);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
