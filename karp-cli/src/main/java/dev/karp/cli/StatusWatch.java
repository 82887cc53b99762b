package dev.karp.cli;

import dev.karp.status.StatusException;
import dev.karp.status.StatusSnapshot;
import dev.karp.time.Durations;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * {@code karp status --watch}: the status table full screen, fetched again every interval, with the lines that
 * changed since the previous fetch in bold yellow (relative times do not count as changes). It runs on the
 * terminal's alternate screen in raw mode and quits on {@code q} or Ctrl-C; on every way out (an exception
 * too) it leaves the alternate screen and restores the terminal's modes, so the shell finds the terminal as it
 * left it. An unreachable daemon is shown in red and tried again; the view does not exit.
 */
final class StatusWatch {
    /** Keys are read in slices this long, so q and Ctrl-C act at once whatever the interval. */
    private static final long KEY_POLL_MILLIS = 100;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final AttributedStyle CHANGED = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle ERROR = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    private static final AttributedStyle TITLE = AttributedStyle.DEFAULT.inverse();

    /** Fetches the latest snapshot. */
    interface Source {
        StatusSnapshot fetch() throws StatusException;
    }

    private final Terminal terminal;
    private final Source source;
    private final String address;
    private final Duration interval;
    private final Clock clock;
    private final AtomicBoolean quit = new AtomicBoolean();

    StatusWatch(Terminal terminal, Source source, String address, Duration interval, Clock clock) {
        this.terminal = terminal;
        this.source = source;
        this.address = address;
        this.interval = interval;
        this.clock = clock;
    }

    /** Runs until q or Ctrl-C. */
    void run() throws IOException {
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> quit.set(true));
        try {
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.cursor_invisible);
            terminal.flush();
            loop();
        } finally {
            // Leave the terminal as it was, whatever happened.
            terminal.puts(Capability.clear_screen);
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
            terminal.handle(Terminal.Signal.INT, previous);
        }
    }

    private void loop() throws IOException {
        NonBlockingReader keys = terminal.reader();
        Set<String> before = null;
        while (!quit.get()) {
            Set<String> now = draw(before);
            before = now == null ? before : now;
            long wake = System.nanoTime() + interval.toNanos();
            while (!quit.get() && System.nanoTime() - wake < 0) {
                long left = Math.max(1, Math.min(KEY_POLL_MILLIS, (wake - System.nanoTime()) / 1_000_000));
                int c;
                try {
                    c = keys.read(left);
                } catch (InterruptedIOException e) {
                    return;
                }
                // q quits; so does Ctrl-C where the terminal hands it over as a byte rather than SIGINT.
                if (c == 'q' || c == 'Q' || c == 3 || c == NonBlockingReader.EOF) {
                    quit.set(true);
                }
            }
        }
    }

    /** Draws one screen; returns the keys of its lines, or null when the daemon could not be read. */
    private Set<String> draw(Set<String> before) {
        Instant now = clock.instant();
        int width = Math.max(20, terminal.getWidth() <= 0 ? 80 : terminal.getWidth());
        int height = Math.max(5, terminal.getHeight() <= 0 ? 24 : terminal.getHeight());
        terminal.puts(Capability.cursor_home);
        String clockText = LocalTime.ofInstant(now, ZoneId.systemDefault()).format(CLOCK);
        String title = "karp status " + address + "  every " + Durations.shortSeconds(interval) + " s  q or Ctrl-C to quit";
        // One column short of the width: a full last column makes some terminals wrap.
        write(fit(title + " ".repeat(Math.max(1, width - 1 - title.length() - clockText.length())) + clockText, width),
                TITLE);
        write("", AttributedStyle.DEFAULT);
        int used = 2;
        Set<String> keys = null;
        try {
            StatusSnapshot s = source.fetch();
            List<StatusText.Line> lines = StatusText.lines(s, now);
            keys = new HashSet<>();
            for (StatusText.Line line : lines) {
                if (used >= height) {
                    break;
                }
                keys.add(line.key());
                boolean changed = before != null && !line.text().isEmpty() && !before.contains(line.key());
                write(fit(line.text(), width), changed ? CHANGED : AttributedStyle.DEFAULT);
                used++;
            }
        } catch (StatusException e) {
            write(fit(e.getMessage(), width), ERROR);
            write(fit("trying again every " + Durations.shortSeconds(interval) + " s", width), AttributedStyle.DEFAULT);
            used += 2;
        }
        terminal.puts(Capability.clr_eos);
        terminal.flush();
        return keys;
    }

    private void write(String text, AttributedStyle style) {
        AttributedString line = new AttributedStringBuilder().style(style).append(text).toAttributedString();
        terminal.writer().print(line.toAnsi(terminal));
        terminal.puts(Capability.clr_eol);
        terminal.writer().print("\r\n");
    }

    private static String fit(String s, int width) {
        return s.length() <= width - 1 ? s : s.substring(0, width - 1);
    }
}
