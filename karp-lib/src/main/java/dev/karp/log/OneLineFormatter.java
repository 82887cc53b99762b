package dev.karp.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * karp's log line: {@code 2026-11-26T11:09:22.123Z INFO  vhid 7: BACKUP -> MASTER (master down)}.
 * UTC with milliseconds, the level padded to five characters, then the message. Control characters in the
 * message (a script's output, a peer's data) are escaped, so one record is always exactly one line.
 */
public final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean stackTraces;

    /** @param stackTraces print a thrown exception's stack trace under the line (for {@code --debug}) */
    public OneLineFormatter(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(96);
        line.append(TIME.format(record.getInstant())).append(' ');
        String level = levelName(record.getLevel());
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append(escape(formatMessage(record)));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.append(": ").append(escape(String.valueOf(thrown)));
        }
        line.append('\n');
        if (thrown != null && stackTraces) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** JUL's levels in the words operators know: ERROR, WARN, INFO, DEBUG, TRACE. */
    static String levelName(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(String.format("\\x%02x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
