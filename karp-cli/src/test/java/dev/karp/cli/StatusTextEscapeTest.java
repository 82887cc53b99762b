package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.status.StatusSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12 item 8: what an endpoint sends cannot drive the terminal of whoever runs {@code karp status}. */
class StatusTextEscapeTest {
    private static final Instant SINCE = Instant.parse("2026-11-26T11:09:22Z");

    @Test
    void controlCharactersFromTheEndpointAreShownEscaped() {
        // given: strings a hostile endpoint could send: clear screen, a fake line, a terminal title, C1 CSI
        StatusSnapshot s = StatusSnapshot.of("MASTER", "10.200.0.100/24\u001b[2J", "eth0\u001b]0;pwned\u0007", 7, 1, 0,
                "10.200.0.11\r\nstate     BACKUP", SINCE, 1);
        s = new StatusSnapshot(s.state(), s.vip(), s.interfaceName(), s.vhid(), s.advbase(), s.advskew(), s.master(),
                s.since(), s.transitions(), true, "down\u009b31m", s.peers(),
                new StatusSnapshot.Counters(1, 2, Map.of("EVIL\u001b[1m", 3L)), List.of(), null);

        // when
        List<StatusText.Line> lines = StatusText.lines(s, SINCE.plusSeconds(5));

        // then
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.text().chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
            assertThat(l.key().chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
        });
        String all = String.join("\n", lines.stream().map(StatusText.Line::text).toList());
        assertThat(all).contains("10.200.0.100/24\\x1b[2J", "eth0\\x1b]0;pwned\\x07", "10.200.0.11\\x0d\\x0astate     BACKUP",
                "down\\x9b31m", "EVIL\\x1b[1m");
    }

    @Test
    void ordinaryTextIsUnchanged() {
        assertThat(StatusText.printable("vip       10.200.0.100/24 on eth0: present")).isEqualTo(
                "vip       10.200.0.100/24 on eth0: present");
    }
}
