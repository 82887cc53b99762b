package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.status.StatusException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

/** The live view on an in-memory xterm (the real terminal is StatusWatchIT's, in tmux). */
class StatusWatchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T11:10:00Z"), ZoneOffset.UTC);

    private static Terminal xterm(String keys, ByteArrayOutputStream out) throws IOException {
        return TerminalBuilder.builder().system(false).type("xterm").size(new Size(100, 30))
                .streams(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), out).build();
    }

    @Test
    void itDrawsOnTheAlternateScreenAndLeavesItWithTheModesRestoredOnQ() throws IOException {
        // given
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal t = xterm("q", out)) {
            Attributes before = new Attributes(t.getAttributes());

            // when
            new StatusWatch(t, StatusCommandTest::backup, "127.0.0.1:9241", Duration.ofMillis(200), CLOCK).run();

            // then
            String screen = out.toString(StandardCharsets.UTF_8);
            assertThat(screen).contains("\u001b[?1049h", "state     BACKUP since 2026-11-26T11:09:22Z",
                    "master    10.200.0.11", "q or Ctrl-C to quit");
            assertThat(screen.lastIndexOf("\u001b[?1049l")).isGreaterThan(screen.indexOf("master    10.200.0.11"));
            assertThat(t.getAttributes().toString()).isEqualTo(before.toString());
        }
    }

    @Test
    void anUnreachableDaemonIsShownAndTriedAgainUntilQ() throws IOException {
        // given: a daemon that never answers; q is typed only after the third attempt
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream keys = new PipedInputStream(keyboard);
        AtomicInteger calls = new AtomicInteger();
        StatusWatch.Source failing = () -> {
            if (calls.incrementAndGet() == 3) {
                try {
                    keyboard.write('q');
                    keyboard.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            throw new StatusException("cannot reach karp's status endpoint at 127.0.0.1:9241: Connection refused");
        };
        try (Terminal t = TerminalBuilder.builder().system(false).type("xterm").size(new Size(100, 30))
                .streams(keys, out).build()) {

            // when
            new StatusWatch(t, failing, "127.0.0.1:9241", Duration.ofMillis(100), CLOCK).run();

            // then
            assertThat(calls.get()).isEqualTo(3);
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("cannot reach karp's status endpoint at 127.0.0.1:9241: Connection refused",
                            "trying again every 0.1 s")
                    .contains("\u001b[?1049l");
        }
    }
}
