package dev.karp.cli;

import dev.karp.carp.AdvertFormat;
import dev.karp.carp.DigestStatus;
import dev.karp.carp.VipAddresses;
import dev.karp.net.IpAddresses;
import dev.karp.sniff.SniffAlerts;
import dev.karp.sniff.SniffRecord;
import dev.karp.sniff.SniffReport;
import dev.karp.sniff.SniffSummary;
import dev.karp.time.Durations;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text form of {@code karp sniff}: one line per advert (seconds since the first frame,
 * protocol, {@link AdvertFormat} line, then {@code !} and the problems), then the summary.
 */
final class SniffText {
    private SniffText() {
    }

    /** @param source the file name, or the interface for a live capture */
    static void print(SniffReport report, String source, PrintWriter out) {
        for (SniffRecord r : report.records()) {
            out.println(line(r));
        }
        SniffSummary s = report.summary();
        if (!report.records().isEmpty()) {
            out.println();
        }
        out.println(header(s, source));
        if (!s.vipCandidates().isEmpty()) {
            out.println("VIP candidates from gratuitous ARPs: " + addresses(s.vipCandidates()));
        }
        for (SniffSummary.Vhid v : s.vhids()) {
            printVhid(v, out);
        }
        for (SniffSummary.VrrpRouter r : s.vrrpRouters()) {
            out.println("VRRPv" + r.version() + " VRID " + r.vrid() + " from " + IpAddresses.format(r.source()) + ": "
                    + count(r.adverts(), "advert") + ", priority " + r.priority() + ", interval " + Durations.seconds(r.interval())
                    + " s, addresses " + addresses(r.addresses()) + "; VRRP, not CARP");
        }
    }

    static String line(SniffRecord r) {
        String problems = r.problems().isEmpty() ? "" : "  ! " + String.join("; ", r.problems());
        String text;
        if (r instanceof SniffRecord.Carp c) {
            text = "carp  " + AdvertFormat.line(c.frame(), c.digest())
                    + c.verifiedAs().filter(m -> m == dev.karp.carp.AuthMode.STRICT).map(m -> " (strict)").orElse("")
                    + (c.bowOut() ? " bow-out" : "");
        } else {
            SniffRecord.Vrrp v = (SniffRecord.Vrrp) r;
            text = "vrrp  " + AdvertFormat.line(v.packet(), v.frame().vrrpChecksumOk() && v.frame().ipChecksumOk());
        }
        return String.format(Locale.ROOT, "%9s  %s%s", Durations.seconds(r.sinceStart()), text, problems);
    }

    /** A live warning, aligned with the advert lines: {@code     3.000  WARNING vhid 7: two masters: ...}. */
    static String alert(SniffAlerts.Alert a, Duration sinceStart) {
        return String.format(Locale.ROOT, "%9s  WARNING %s", Durations.seconds(sinceStart), a.message());
    }

    private static String header(SniffSummary s, String file) {
        String span = s.start().isPresent()
                ? " from " + s.start().get() + " over " + Durations.seconds(Duration.between(s.start().get(), s.end().get())) + " s"
                : "";
        return "summary of " + file + ": " + count(s.frames(), "frame") + span + "; " + count(s.carpAdverts(), "CARP advert")
                + ", " + count(s.vrrpAdverts(), "VRRP advert") + ", " + s.arps() + " ARP, " + s.other() + " other";
    }

    private static void printVhid(SniffSummary.Vhid v, PrintWriter out) {
        out.println("vhid " + v.vhid() + ": " + count(v.adverts(), "advert") + " from " + addresses(v.sources()) + "; hmac: " + digests(v));
        for (SniffSummary.MasterPeriod m : v.masters()) {
            out.println(String.format(Locale.ROOT, "  master %-15s %9s .. %9s  (%s, %s)", IpAddresses.format(m.source()),
                    Durations.seconds(m.fromStart()), Durations.seconds(m.untilStart()), count(m.adverts(), "advert"), m.end().text()));
        }
        for (SniffSummary.Transition t : v.transitions()) {
            String gap = t.withoutMaster().isZero() ? "overlapping" : Durations.seconds(t.withoutMaster()) + " s without a master";
            out.println("  master change " + IpAddresses.format(t.from()) + " -> " + IpAddresses.format(t.to()) + " at "
                    + Durations.seconds(t.atStart()) + " (" + gap + ")");
        }
        if (v.dualMasters().isEmpty()) {
            out.println("  two masters: never");
        }
        for (SniffSummary.DualMaster d : v.dualMasters()) {
            out.println("  two masters: " + Durations.seconds(d.fromStart()) + " .. " + Durations.seconds(d.untilStart()) + " ("
                    + Durations.seconds(Duration.between(d.from(), d.until())) + " s): " + addresses(d.sources()));
        }
        if (v.possibleReplays() > 0) {
            out.println("  possible replays: " + v.possibleReplays());
        }
        for (String note : v.notes()) {
            out.println("  note: " + note);
        }
    }

    private static String digests(SniffSummary.Vhid v) {
        StringBuilder sb = new StringBuilder();
        for (DigestStatus d : DigestStatus.values()) {
            int n = v.digestCount(d);
            if (n > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(d.word());
            }
        }
        if (!v.verifiedVips().isEmpty()) {
            String vips = v.verifiedVips().keySet().stream().map(VipAddresses::toString).collect(Collectors.joining(", "));
            sb.append(" with VIP ").append(vips).append(v.vipOrigin().map(o -> " (from " + o.text() + ")").orElse(""));
        }
        return sb.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String addresses(List<? extends InetAddress> list) {
        return list.stream().map(IpAddresses::format).collect(Collectors.joining(", "));
    }
}
