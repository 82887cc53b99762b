package dev.karp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class OneLineFormatterTest {
    private static LogRecord record(Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setInstant(Instant.parse("2026-11-26T11:09:22.123456Z"));
        return r;
    }

    @Test
    void aStateChangeIsOneLineWithUtcMillisecondsAndAPaddedLevel() {
        // given
        LogRecord r = record(Level.INFO, "vhid 7: BACKUP -> MASTER (master down)");

        // when
        String line = new OneLineFormatter(false).format(r);

        // then
        assertThat(line).isEqualTo("2026-11-26T11:09:22.123Z INFO  vhid 7: BACKUP -> MASTER (master down)\n");
    }

    @Test
    void levelsUseTheNamesOperatorsKnow() {
        var f = new OneLineFormatter(false);
        assertThat(f.format(record(Level.SEVERE, "x"))).contains(" ERROR x");
        assertThat(f.format(record(Level.WARNING, "x"))).contains(" WARN  x");
        assertThat(f.format(record(Level.FINE, "x"))).contains(" DEBUG x");
        assertThat(f.format(record(Level.FINEST, "x"))).contains(" TRACE x");
    }

    @Test
    void newlinesInTheMessageAreEscapedSoARecordStaysOneLine() {
        // given: script output or peer-controlled text
        LogRecord r = record(Level.WARNING, "upscript said: line1\nline2\r\u0007");

        // when
        String line = new OneLineFormatter(false).format(r);

        // then
        assertThat(line).endsWith("WARN  upscript said: line1\\nline2\\r\\x07\n");
        assertThat(line.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void parametersAreFilledIn() {
        // given
        LogRecord r = record(Level.INFO, "vhid {0}: {1}");
        r.setParameters(new Object[] {7, "MASTER"});

        // when
        String line = new OneLineFormatter(false).format(r);

        // then
        assertThat(line).endsWith("INFO  vhid 7: MASTER\n");
    }

    @Test
    void anExceptionIsOneLineWithoutDebug() {
        // given
        LogRecord r = record(Level.SEVERE, "cannot send advert");
        r.setThrown(new java.io.IOException("Network is down"));

        // when
        String line = new OneLineFormatter(false).format(r);

        // then
        assertThat(line).isEqualTo("2026-11-26T11:09:22.123Z ERROR cannot send advert: java.io.IOException: Network is down\n");
    }

    @Test
    void anExceptionShowsItsStackTraceWithDebug() {
        // given
        LogRecord r = record(Level.SEVERE, "cannot send advert");
        r.setThrown(new java.io.IOException("Network is down"));

        // when
        String text = new OneLineFormatter(true).format(r);

        // then
        assertThat(text).startsWith("2026-11-26T11:09:22.123Z ERROR cannot send advert: java.io.IOException: Network is down\n"
                + "java.io.IOException: Network is down\n\tat ");
    }
}
