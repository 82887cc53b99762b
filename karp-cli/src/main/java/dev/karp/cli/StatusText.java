package dev.karp.cli;

import dev.karp.carp.DropReason;
import dev.karp.status.StatusSnapshot;
import dev.karp.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plain form of {@code karp status}: a short table a person reads in a second. Shared by the one-shot output
 * and the live view ({@code --watch}), which highlights the lines whose {@link Line#key()} changed.
 */
final class StatusText {
    private StatusText() {
    }

    /**
     * One line of the table.
     *
     * @param text what is shown
     * @param key  the same without relative times ("5 s ago"), so the live view highlights real changes only
     */
    record Line(String text, String key) {
        static Line of(String text) {
            return new Line(text, text);
        }
    }

    /** The table for {@code s}, ages relative to {@code now}: one block per group when it runs several. */
    static List<Line> lines(StatusSnapshot s, Instant now) {
        List<StatusSnapshot> groups = s.allGroups();
        if (groups.size() == 1) {
            return groupLines(groups.get(0), now);
        }
        List<Line> out = new ArrayList<>();
        out.add(Line.of(groups.size() + " groups: " + groups.stream().map(g -> "vhid " + g.vhid() + " " + g.state())
                .collect(java.util.stream.Collectors.joining(", "))));
        for (StatusSnapshot g : groups) {
            out.add(Line.of(""));
            out.add(Line.of(printable("== vhid " + g.vhid() + " ==")));
            out.addAll(groupLines(g, now));
        }
        return out;
    }

    private static List<Line> groupLines(StatusSnapshot s, Instant now) {
        List<Line> out = new ArrayList<>();
        String since = s.since().truncatedTo(ChronoUnit.SECONDS).toString();
        out.add(new Line(row("state", s.state() + " since " + since + " (" + Durations.age(Duration.between(s.since(), now))
                + ")"), row("state", s.state() + " since " + since)));
        String vip = String.join(", ", s.vips()) + " on " + s.interfaceName() + ": " + (s.vipPresent() == null ? "not checked yet"
                : s.vipPresent() ? "present" : "absent");
        out.add(Line.of(row("vip", vip)));
        String master = s.master() == null ? "none known"
                : s.master() + (s.state().equals("MASTER") ? " (this node)" : "");
        out.add(Line.of(row("master", master)));
        if (s.masterDownSeconds() != null) {
            out.add(Line.of(row("takeover", String.format(Locale.ROOT, "after %.3f s without an advert",
                    s.masterDownSeconds()))));
        }
        out.add(Line.of(row("vhid", s.vhid() + "  advbase " + s.advbase() + "  advskew " + s.advskew())));
        out.add(Line.of(row("health", s.health() == null ? "ok" : s.health())));
        out.add(Line.of(""));

        if (s.peers().isEmpty()) {
            out.add(Line.of(row("peers", "none heard")));
        } else {
            out.add(Line.of(row("peers", String.format(Locale.ROOT, "%-15s  %-7s  %-7s  %s", "source", "advbase",
                    "advskew", "last advert"))));
            for (StatusSnapshot.Peer p : s.peers()) {
                String fixed = String.format(Locale.ROOT, "%-15s  %-7d  %-7d  ", p.src(), p.advbase(), p.advskew());
                out.add(new Line(row("", fixed + Durations.age(Duration.ofMillis(p.lastSeenMillisAgo())) + " ago"),
                        row("", fixed)));
            }
        }
        if (!s.unheardPeers().isEmpty()) {
            out.add(Line.of(row("not heard", String.join(", ", s.unheardPeers())
                    + (s.state().equals("MASTER") ? " (backups are silent; fine while they run as BACKUP)" : ""))));
        }
        out.add(Line.of(""));

        StatusSnapshot.Counters c = s.counters();
        long rejected = c.rejected().values().stream().mapToLong(Long::longValue).sum();
        out.add(Line.of(row("adverts", "sent " + c.sent() + "  received " + c.received() + "  rejected " + rejected)));
        for (Map.Entry<String, Long> e : c.rejected().entrySet()) {
            out.add(Line.of(row("", String.format(Locale.ROOT, "  %-8d %s", e.getValue(), reason(e.getKey())))));
        }
        StatusSnapshot.Alerts a = s.alerts();
        if (a.spoofedFrom() != null) {
            out.add(Line.of(row("SPOOFING", "adverts in this node's name from " + a.spoofedFrom())));
        }
        if (a.vipConflict() != null || a.vipConflicts() > 0) {
            out.add(Line.of(row("CONFLICT", a.vipConflicts() + " claims of the VIP by another host"
                    + (a.vipConflict() != null ? "; the last: " + a.vipConflict() : ""))));
        }
        if (a.phantomMaster() != null) {
            out.add(Line.of(row("PHANTOM", a.phantomMaster())));
        }
        if (a.secondMaster() != null || a.secondMasters() > 0) {
            out.add(Line.of(row("2 MASTERS", a.secondMasters() + " times"
                    + (a.secondMaster() != null ? "; now: " + a.secondMaster() : ""))));
        }
        if (a.captureDropped() != null && (a.captureDropped() > 0 || a.captureIfDropped() != null
                && a.captureIfDropped() > 0)) {
            out.add(Line.of(row("capture", "libpcap dropped " + a.captureDropped() + " frames (ring full), "
                    + a.captureIfDropped() + " (interface)")));
        }
        out.add(Line.of(""));

        if (s.lastTransitions().isEmpty()) {
            out.add(Line.of(row("changes", "none")));
        } else {
            out.add(Line.of(row("changes", s.transitions() + " since start; the last:")));
            for (StatusSnapshot.Transition t : s.lastTransitions()) {
                out.add(Line.of(String.format(Locale.ROOT, "  %s  %-7s -> %-7s %s",
                        t.at().truncatedTo(ChronoUnit.MILLIS), t.from(), t.to(), t.reason())));
            }
        }
        // Every string came from the endpoint, which need not be ours: control characters could move the
        // cursor, clear the screen or fake lines, so they are shown escaped.
        out.replaceAll(l -> new Line(printable(l.text()), printable(l.key())));
        return out;
    }

    /** {@code s} with control characters (C0, DEL, C1, Unicode format characters) written as hex escapes. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                    || Character.getType(c) == Character.FORMAT;
            if (!control) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            b.append(c <= 0xff ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                    : String.format(Locale.ROOT, "\\u%04x", (int) c));
        }
        return b == null ? s : b.toString();
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "%-9s %s", label, value).stripTrailing();
    }

    /** The drop reason's words, e.g. {@code bad HMAC (BAD_DIGEST)}; an unknown name as it is. */
    private static String reason(String name) {
        try {
            return DropReason.valueOf(name).label() + " (" + name + ")";
        } catch (IllegalArgumentException e) {
            return name; // a newer daemon's reason
        }
    }
}
