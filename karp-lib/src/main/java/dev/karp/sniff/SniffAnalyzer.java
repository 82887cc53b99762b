package dev.karp.sniff;

import dev.karp.carp.AdvertChain;
import dev.karp.carp.AuthMode;
import dev.karp.carp.ArpPacket;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPacket;
import dev.karp.carp.Decoded;
import dev.karp.carp.DigestStatus;
import dev.karp.carp.DropReason;
import dev.karp.carp.Destination;
import dev.karp.carp.MacAddress;
import dev.karp.carp.VipAddresses;
import dev.karp.carp.VrrpPacket;
import dev.karp.sniff.SniffRecord.VipOrigin;
import dev.karp.sniff.SniffSummary.DualMaster;
import dev.karp.sniff.SniffSummary.End;
import dev.karp.sniff.SniffSummary.MasterPeriod;
import dev.karp.sniff.SniffSummary.Transition;
import dev.karp.sniff.SniffSummary.VrrpRouter;
import dev.karp.time.Durations;
import dev.karp.net.IpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a capture the way an operator would: every CARP and VRRP advert with what is wrong with
 * it, and per vhid who was master when. Pure: frames and their timestamps in, a report out.
 *
 * <h2>Definitions</h2>
 * <ul>
 * <li><b>Master.</b> UCarp only advertises as master (plus one last advert when it yields,
 *     ucarp-spec §4.6), so a source that advertises is master of its vhid. A <em>master
 *     period</em> of a source runs from an advert to the last advert that follows it with no gap
 *     longer than 2.5 times the interval the previous advert announced (advbase + advskew/256,
 *     at least 50 ms so timestamp jitter cannot split a period). A master sends one advert per
 *     interval without fail (UCarp: 0.9999-1.0003 s at advbase 1), so one frame missing from the
 *     capture (a gap of 2 intervals) does not split a period, while a node that yielded and later
 *     came back (a gap of 3 intervals or more, as a backup waits that long) gets two periods.
 *     A longer gap ends the period as {@code yielded} if another source's period went on past
 *     it, else as {@code silent} (stopped, died or lost its link). A bow-out advert (advbase 255,
 *     advskew 255) ends it at once. A period still running within that gap of the capture's last
 *     frame ends {@code end-of-capture}. Every decoded advert counts, whatever its checksums or
 *     HMAC: a node with a wrong password is still a master on the wire (cap 05).</li>
 * <li><b>Two masters.</b> Two master periods of one vhid, of different sources, that overlap:
 *     the overlap, from the later first advert to the earlier last advert, is reported, merged
 *     with overlapping overlaps. A UCarp master that yields sends one last advert after the new
 *     master's first, so a clean preemption shows as a short overlap.</li>
 * <li><b>Transition.</b> Every master period after the first of its vhid, from the source whose
 *     period ended last before it started (or is still running), with the time without master.</li>
 * <li><b>Possible replay.</b> An advert whose counter was already seen, in the same vhid, in an
 *     advert with other contents (source, advbase, advskew, header bytes or HMAC). An identical
 *     advert seen again is flagged as repeated. UCarp itself checks nothing (ucarp-spec §2.4).</li>
 * <li><b>VIP.</b> The HMAC covers every address of the vhid (ucarp-spec §2.2, carp-v6-unicast §2.2):
 *     {@code --vip}, repeated, gives them all. Without it, the sender addresses of gratuitous ARPs
 *     in the capture (sender IP = target IP) are the candidates, each tried as the only VIP, per
 *     advert, the last one that verified for that vhid first; that verifies only single-VIP vhids.</li>
 * <li><b>Address families.</b> A dual-stack vhid is advertised over IPv4 and IPv6, one advert each
 *     per interval (karp sends both with the same counter and digest; FreeBSD counts one up between
 *     them). The master's IPv4 and IPv6 addresses cannot be told to be one node from the wire, so
 *     master periods, transitions, two masters and counters are compared within one family only:
 *     the IPv4 and the IPv6 source of one master are two master periods that do not clash.</li>
 * <li><b>Dropped.</b> Every advert goes through the daemon's own checks ({@link AdvertChain}) with
 *     what sniff knows: the checks that need no configuration, and the HMAC with the VIP tried. The
 *     first that fails is the advert's first problem, in the daemon's words: {@code dropped: bad TTL
 *     64 (expected: 255); ...}. sniff knows no own address, vhid or group, so those are not checked.</li>
 * </ul>
 */
public final class SniffAnalyzer {
    /** A gap longer than this many intervals (in halves: 2.5) ends a master period; see the class comment. */
    static final int GAP_HALF_INTERVALS = 5;
    static final Duration MIN_GAP = Duration.ofMillis(50);

    private final SniffConfig config;
    private final Optional<CarpHmac> hmac;
    private final Set<InetAddress> candidates = new LinkedHashSet<>();
    private final Map<Integer, VhidState> vhids = new TreeMap<>();
    private final Map<String, VrrpState> vrrp = new LinkedHashMap<>();
    private final List<SniffRecord> records = new ArrayList<>();
    private Instant start;
    private Instant end;
    private int frames;
    private int arps;
    private int other;
    private int carpAdverts;
    private int vrrpAdverts;
    private boolean finished;

    private SniffAnalyzer(SniffConfig config, List<InetAddress> knownCandidates) {
        this.config = config;
        this.hmac = config.password().map(CarpHmac::new);
        this.candidates.addAll(knownCandidates);
    }

    /** Analyses a whole capture, in the order given. */
    public static SniffReport analyze(SniffConfig config, List<CapturedFrame> frames) {
        List<AdvertChain.Verdict> verdicts = frames.stream().map(f -> AdvertChain.ANY.check(f.buffer())).toList();
        // The VIP is usually announced once, right before the first advert of a new master, so
        // every gratuitous ARP of the capture is a candidate for every advert.
        SniffAnalyzer a = new SniffAnalyzer(config, gratuitousArpSenders(verdicts));
        for (int i = 0; i < frames.size(); i++) {
            a.offer(frames.get(i), verdicts.get(i));
        }
        return a.finish();
    }

    /**
     * An analyzer fed one frame at a time, as they are captured ({@code karp sniff -i}). It sees
     * only the past: a gratuitous ARP becomes a VIP candidate for the adverts after it, and two
     * masters are marked on the adverts only in {@link #finish()} (a live reader is warned by
     * {@link SniffAlerts} instead).
     */
    public static SniffAnalyzer live(SniffConfig config) {
        return new SniffAnalyzer(config, List.of());
    }

    /**
     * Reads the next frame (timestamps must not go backwards).
     *
     * @return the advert's record when the frame is a CARP or VRRP advert of the selected vhid
     */
    public Optional<SniffRecord> offer(CapturedFrame frame) {
        return offer(frame, AdvertChain.ANY.check(frame.buffer()));
    }

    /** @param decoding the frame through the checks that need no configuration */
    private Optional<SniffRecord> offer(CapturedFrame frame, AdvertChain.Verdict decoding) {
        Instant time = frame.time();
        Decoded d = decoding.decoded();
        if (finished) {
            throw new IllegalStateException("the analysis is finished");
        }
        if (start == null) {
            start = time;
        }
        end = time;
        frames++;
        if (d instanceof Decoded.CarpFrame c && selected(c.packet().vhid())) {
            carpAdverts++;
            return Optional.of(add(carp(time, c, frame.buffer(), decoding)));
        } else if (d instanceof Decoded.VrrpFrame v && selected(v.packet().vrid())) {
            vrrpAdverts++;
            return Optional.of(add(vrrp(time, v)));
        } else if (d instanceof Decoded.ArpFrame a) {
            arps++;
            if (a.packet().isGratuitous()) {
                candidates.add(a.packet().senderIp());
            }
        } else {
            other++;
        }
        return Optional.empty();
    }

    private SniffRecord add(SniffRecord r) {
        records.add(r);
        return r;
    }

    /** Ends the analysis: the report of every frame offered. No frame may be offered afterwards. */
    public SniffReport finish() {
        if (finished) {
            throw new IllegalStateException("the analysis is finished");
        }
        finished = true;
        List<SniffSummary.Vhid> summaries = new ArrayList<>();
        for (VhidState s : vhids.values()) {
            summaries.add(s.finish());
        }
        markDualMasters(summaries);
        List<VrrpRouter> routers = vrrp.values().stream().map(VrrpState::router).toList();
        addVrrpNotes(summaries, routers);
        SniffSummary summary = new SniffSummary(Optional.ofNullable(start), Optional.ofNullable(end), frames,
                carpAdverts, vrrpAdverts, arps, other, List.copyOf(candidates), summaries, routers);
        return new SniffReport(records, summary);
    }

    private boolean selected(int vhid) {
        return config.vhid().isEmpty() || config.vhid().getAsInt() == vhid;
    }

    private Duration since(Instant t) {
        return Duration.between(start, t);
    }

    private SniffRecord.Carp carp(Instant time, Decoded.CarpFrame frame, ByteBuffer bytes, AdvertChain.Verdict decoding) {
        CarpPacket p = frame.packet();
        VhidState state = vhids.computeIfAbsent(p.vhid(), VhidState::new);

        DigestStatus digest = DigestStatus.UNCHECKED;
        Optional<VipAddresses> verifiedWith = Optional.empty();
        Optional<VipOrigin> origin = Optional.empty();
        AdvertChain.Verdict verdict = decoding;
        Optional<AuthMode> verifiedAs = Optional.empty();
        if (hmac.isPresent() && config.auth() != AuthMode.UCARP) {
            // Strict digests cover the source and the header: the daemon's own chain says which one verified.
            List<VipAddresses> vips = config.vips().map(List::of).orElseGet(() -> state.candidateOrder(candidates));
            if (!vips.isEmpty()) {
                digest = DigestStatus.INVALID;
                verdict = null;
                for (VipAddresses vip : vips) {
                    AdvertChain.Verdict v = new AdvertChain(AdvertChain.Expect.digestOnly(hmac.get(), vip, config.auth()))
                            .check(bytes);
                    if (verdict == null) {
                        verdict = v;
                    }
                    if (v instanceof AdvertChain.Verdict.Accepted a) {
                        digest = DigestStatus.VALID;
                        verifiedWith = Optional.of(vip);
                        verifiedAs = Optional.of(a.strict() ? AuthMode.STRICT : AuthMode.UCARP);
                        origin = Optional.of(config.vips().isPresent() ? VipOrigin.OPTION : VipOrigin.GRATUITOUS_ARP);
                        verdict = v;
                        break;
                    }
                }
            }
        } else if (hmac.isPresent()) {
            List<VipAddresses> vips = config.vips().map(List::of).orElseGet(() -> state.candidateOrder(candidates));
            if (!vips.isEmpty()) {
                digest = DigestStatus.INVALID;
                VipAddresses tried = vips.get(0);
                for (VipAddresses vip : vips) {
                    if (hmac.get().verify(p.vhid(), vip, p.counter(), p.digest())) {
                        digest = DigestStatus.VALID;
                        verifiedWith = Optional.of(vip);
                        verifiedAs = Optional.of(AuthMode.UCARP);
                        origin = Optional.of(config.vips().isPresent() ? VipOrigin.OPTION : VipOrigin.GRATUITOUS_ARP);
                        tried = vip;
                        break;
                    }
                }
                verdict = new AdvertChain(AdvertChain.Expect.digestOnly(hmac.get(), tried)).check(bytes);
            }
        }
        Optional<DropReason> drop = Optional.empty();
        List<String> problems = new ArrayList<>();
        if (verdict instanceof AdvertChain.Verdict.Dropped d) {
            drop = Optional.of(d.reason());
            problems.add("dropped: " + d.detail());
        }
        problems.addAll(headerProblems(frame));
        replayProblem(state, time, p).ifPresent(problems::add);
        state.advert(time, p, digest, verifiedWith, origin);
        return new SniffRecord.Carp(time, since(time), frame, digest, verifiedWith, origin, drop, problems, verifiedAs);
    }

    /**
     * What differs from a UCarp advert (ucarp-spec §1) that no receiver drops it for, in words
     * short enough for one line.
     */
    private static List<String> headerProblems(Decoded.CarpFrame frame) {
        CarpPacket p = frame.packet();
        List<String> problems = new ArrayList<>();
        if (p.vhid() == 0) {
            problems.add("vhid 0 (expected 1..255)");
        }
        if (p.type() != Carp.CARP_ADVERTISEMENT) {
            problems.add("CARP type " + p.type() + " (expected 1)");
        }
        if (p.authlen() != Carp.CARP_AUTHLEN) {
            problems.add("authlen " + p.authlen() + " (expected 7)");
        }
        if (p.demote() != 0) {
            problems.add("demote " + p.demote() + " (UCarp sends 0)");
        }
        if (p.advbase() == 0 && p.advskew() == 0) {
            problems.add("advbase 0 and advskew 0: no interval");
        }
        if (frame.ipHeaderLength() != (p.isIpv6() ? Carp.IPV6_HEADER_LEN : Carp.IP_HEADER_LEN)) {
            problems.add("IP options (" + frame.ipHeaderLength() + "-byte IP header)");
        }
        int expectedTotal = frame.ipHeaderLength() + Carp.CARP_HEADER_LEN;
        if (frame.ipTotalLength() != expectedTotal) {
            problems.add("IP total length " + frame.ipTotalLength() + " (expected " + expectedTotal + ")");
        }
        if (p.vhid() != 0 && !p.ethSrc().equals(Carp.virtualMac(p.vhid()))) {
            problems.add("Ethernet source " + p.ethSrc() + " (UCarp sends " + Carp.virtualMac(p.vhid()) + ")");
        }
        if (!p.ethDst().equals(MacAddress.BROADCAST) && !p.ethDst().equals(Destination.group(p.ipDst()).mac())) {
            problems.add("Ethernet destination " + p.ethDst() + " does not match " + IpAddresses.format(p.ipDst()));
        }
        return problems;
    }

    private Optional<String> replayProblem(VhidState state, Instant time, CarpPacket p) {
        // A dual-stack master sends one advert per family with the same counter (karp) or the next one (BSD).
        Seen before = (p.isIpv6() ? state.seen6 : state.seen).putIfAbsent(p.counter(), new Seen(time, p));
        if (before == null) {
            return Optional.empty();
        }
        String when = Durations.seconds(since(before.time())) + " s";
        if (sameContents(before.packet(), p)) {
            return Optional.of("repeated: same counter and contents as the advert at " + when);
        }
        state.possibleReplays++;
        return Optional.of("possible replay: counter already seen at " + when + " from "
                + IpAddresses.format(before.packet().ipSrc()) + " in a different advert");
    }

    private static boolean sameContents(CarpPacket a, CarpPacket b) {
        return a.ipSrc().equals(b.ipSrc()) && a.vhid() == b.vhid() && a.advbase() == b.advbase()
                && a.advskew() == b.advskew() && a.version() == b.version() && a.type() == b.type()
                && a.authlen() == b.authlen() && a.demote() == b.demote()
                && java.util.Arrays.equals(a.digest(), b.digest());
    }

    private SniffRecord.Vrrp vrrp(Instant time, Decoded.VrrpFrame frame) {
        VrrpPacket p = frame.packet();
        List<String> problems = new ArrayList<>();
        if (p.ttl() != Carp.CARP_DFLTTL) {
            problems.add("bad TTL " + p.ttl() + " (expected: 255)");
        }
        if (!frame.ipChecksumOk()) {
            problems.add("bad IP checksum");
        }
        if (!frame.vrrpChecksumOk()) {
            problems.add("bad VRRP checksum");
        }
        if (p.type() != 1) {
            problems.add("VRRP type " + p.type() + " (expected 1)");
        }
        String key = p.version() + "/" + p.vrid() + "/" + IpAddresses.format(p.ipSrc());
        vrrp.computeIfAbsent(key, k -> new VrrpState()).advert(p);
        return new SniffRecord.Vrrp(time, since(time), frame, problems);
    }

    /** Adds "two masters" to every advert sent during a dual-master period by one of its masters. */
    private void markDualMasters(List<SniffSummary.Vhid> summaries) {
        Map<Integer, List<DualMaster>> byVhid = new HashMap<>();
        for (SniffSummary.Vhid v : summaries) {
            byVhid.put(v.vhid(), v.dualMasters());
        }
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) instanceof SniffRecord.Carp c) {
                for (DualMaster d : byVhid.getOrDefault(c.vhid(), List.of())) {
                    if (!c.time().isBefore(d.from()) && !c.time().isAfter(d.until()) && d.sources().contains(c.source())) {
                        String others = d.sources().stream().filter(s -> !s.equals(c.source()))
                                .map(IpAddresses::format).collect(Collectors.joining(", "));
                        records.set(i, c.withProblem("two masters: " + others + " also advertising"));
                        break;
                    }
                }
            }
        }
    }

    private static void addVrrpNotes(List<SniffSummary.Vhid> summaries, List<VrrpRouter> routers) {
        for (int i = 0; i < summaries.size(); i++) {
            SniffSummary.Vhid v = summaries.get(i);
            List<String> notes = new ArrayList<>(v.notes());
            for (VrrpRouter r : routers) {
                if (r.vrid() == v.vhid()) {
                    notes.add("VRRP router " + IpAddresses.format(r.source()) + " uses VRID " + r.vrid()
                            + " too: UCarp drops its adverts as bad (checksum, size or version) and logs each one");
                }
            }
            summaries.set(i, new SniffSummary.Vhid(v.vhid(), v.adverts(), v.sources(), v.digests(), v.verifiedVips(),
                    v.vipOrigin(), v.masters(), v.transitions(), v.dualMasters(), v.possibleReplays(), notes));
        }
    }

    private record Seen(Instant time, CarpPacket packet) {
    }

    /** Per-vhid bookkeeping while the capture is read. */
    private final class VhidState {
        final int vhid;
        final Map<Long, Seen> seen = new HashMap<>();
        final Map<Long, Seen> seen6 = new HashMap<>();
        final Set<InetAddress> sources = new LinkedHashSet<>();
        final EnumMap<DigestStatus, Integer> digests = new EnumMap<>(DigestStatus.class);
        final Map<VipAddresses, Integer> verifiedVips = new LinkedHashMap<>();
        final Map<InetAddress, Integer> invalidBySource = new LinkedHashMap<>();
        final Map<InetAddress, OpenPeriod> open = new HashMap<>();
        final List<MasterPeriod> periods = new ArrayList<>();
        Optional<VipOrigin> origin = Optional.empty();
        VipAddresses lastVerified;
        int adverts;
        int possibleReplays;

        VhidState(int vhid) {
            this.vhid = vhid;
        }

        /** Each candidate address as the only VIP, the last that verified first. */
        List<VipAddresses> candidateOrder(Set<InetAddress> all) {
            List<VipAddresses> order = new ArrayList<>(all.size());
            if (lastVerified != null) {
                order.add(lastVerified);
            }
            for (InetAddress a : all) {
                VipAddresses one = VipAddresses.of(a);
                if (!one.equals(lastVerified)) {
                    order.add(one);
                }
            }
            return order;
        }

        void advert(Instant time, CarpPacket p, DigestStatus digest, Optional<VipAddresses> verifiedWith,
                Optional<VipOrigin> vipOrigin) {
            adverts++;
            sources.add(p.ipSrc());
            digests.merge(digest, 1, Integer::sum);
            if (digest == DigestStatus.INVALID) {
                invalidBySource.merge(p.ipSrc(), 1, Integer::sum);
            }
            verifiedWith.ifPresent(vip -> {
                verifiedVips.merge(vip, 1, Integer::sum);
                lastVerified = vip;
            });
            if (vipOrigin.isPresent()) {
                origin = vipOrigin;
            }
            period(time, p);
        }

        private void period(Instant time, CarpPacket p) {
            InetAddress src = p.ipSrc();
            OpenPeriod o = open.get(src);
            if (o != null && Duration.between(o.last, time).compareTo(o.maxGap()) > 0) {
                close(o, End.SILENT);
                o = null;
            }
            if (o == null) {
                if (p.isBowOut()) {
                    return; // leaving without having been seen as master: no period
                }
                o = new OpenPeriod(src, time);
                open.put(src, o);
            }
            o.last = time;
            o.adverts++;
            o.interval = p.interval();
            if (p.isBowOut()) {
                close(o, End.BOW_OUT);
            }
        }

        private void close(OpenPeriod o, End how) {
            open.remove(o.source);
            periods.add(new MasterPeriod(o.source, o.first, o.last, since(o.first), since(o.last), o.adverts, how));
        }

        SniffSummary.Vhid finish() {
            for (OpenPeriod o : List.copyOf(open.values())) {
                boolean running = Duration.between(o.last, end).compareTo(o.maxGap()) <= 0;
                close(o, running ? End.END_OF_CAPTURE : End.SILENT);
            }
            periods.sort(Comparator.comparing(MasterPeriod::from).thenComparing(p -> IpAddresses.format(p.source())));
            for (int i = 0; i < periods.size(); i++) {
                MasterPeriod p = periods.get(i);
                if (p.end() == End.SILENT && periods.stream().anyMatch(q -> !q.source().equals(p.source())
                        && sameFamily(q.source(), p.source()) && !q.from().isAfter(p.until()) && q.until().isAfter(p.until()))) {
                    periods.set(i, new MasterPeriod(p.source(), p.from(), p.until(), p.fromStart(), p.untilStart(),
                            p.adverts(), End.YIELDED));
                }
            }
            return new SniffSummary.Vhid(vhid, adverts, List.copyOf(sources), digests, verifiedVips, origin,
                    periods, transitions(), dualMasters(), possibleReplays, notes());
        }

        private List<Transition> transitions() {
            List<Transition> out = new ArrayList<>();
            for (int i = 1; i < periods.size(); i++) {
                MasterPeriod p = periods.get(i);
                MasterPeriod before = null;
                for (int j = 0; j < i; j++) {
                    MasterPeriod q = periods.get(j);
                    if (sameFamily(q.source(), p.source()) && (before == null || !q.until().isBefore(before.until()))) {
                        before = q;
                    }
                }
                if (before == null) {
                    continue; // the first period of its address family
                }
                Duration gap = Duration.between(before.until(), p.from());
                out.add(new Transition(p.from(), p.fromStart(), before.source(), p.source(), gap.isNegative() ? Duration.ZERO : gap));
            }
            return out;
        }

        private List<DualMaster> dualMasters() {
            List<DualMaster> overlaps = new ArrayList<>();
            for (int i = 0; i < periods.size(); i++) {
                for (int j = i + 1; j < periods.size(); j++) {
                    MasterPeriod a = periods.get(i);
                    MasterPeriod b = periods.get(j);
                    if (a.source().equals(b.source()) || !sameFamily(a.source(), b.source())) {
                        continue;
                    }
                    Instant from = a.from().isAfter(b.from()) ? a.from() : b.from();
                    Instant until = a.until().isBefore(b.until()) ? a.until() : b.until();
                    if (!from.isAfter(until)) {
                        overlaps.add(new DualMaster(from, until, since(from), since(until), List.of(a.source(), b.source())));
                    }
                }
            }
            overlaps.sort(Comparator.comparing(DualMaster::from));
            List<DualMaster> merged = new ArrayList<>();
            for (DualMaster d : overlaps) {
                DualMaster last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && !d.from().isAfter(last.until())) {
                    Set<InetAddress> sources = new LinkedHashSet<>(last.sources());
                    sources.addAll(d.sources());
                    Instant until = d.until().isAfter(last.until()) ? d.until() : last.until();
                    merged.set(merged.size() - 1, new DualMaster(last.from(), until, last.fromStart(), since(until), List.copyOf(sources)));
                } else {
                    merged.add(d);
                }
            }
            return merged;
        }

        private List<String> notes() {
            List<String> notes = new ArrayList<>();
            if (hmac.isEmpty()) {
                notes.add("no password given: HMACs unchecked");
            } else if (config.vips().isEmpty() && candidates.isEmpty()) {
                notes.add("no VIP to check HMACs with: no gratuitous ARP in the capture; pass --vip");
            } else if (verifiedVips.isEmpty()) {
                String vips = config.vips().map(VipAddresses::toString).orElseGet(() -> candidates.stream()
                        .map(IpAddresses::format).collect(Collectors.joining(", ")));
                notes.add("no HMAC verified with this password and VIP " + vips + " for vhid " + vhid
                        + ": check the password, the vhid and the VIP");
            }
            if (!verifiedVips.isEmpty()) {
                invalidBySource.forEach((src, n) -> notes.add("HMAC invalid for " + IpAddresses.format(src) + " (" + n
                        + (n == 1 ? " advert" : " adverts") + "): another password or VIP on that node"));
            }
            return notes;
        }
    }

    /** A master period still being read. */
    private static final class OpenPeriod {
        final InetAddress source;
        final Instant first;
        Instant last;
        Duration interval = Duration.ZERO;
        int adverts;

        OpenPeriod(InetAddress source, Instant first) {
            this.source = source;
            this.first = first;
            this.last = first;
        }

        Duration maxGap() {
            Duration d = interval.multipliedBy(GAP_HALF_INTERVALS).dividedBy(2);
            return d.compareTo(MIN_GAP) < 0 ? MIN_GAP : d;
        }
    }

    /** One VRRP router: the latest of its values. */
    private static final class VrrpState {
        VrrpPacket last;
        int adverts;

        void advert(VrrpPacket p) {
            last = p;
            adverts++;
        }

        VrrpRouter router() {
            return new VrrpRouter(last.version(), last.vrid(), last.ipSrc(), adverts, last.priority(), last.interval(),
                    last.addresses());
        }
    }

    /** Master periods are compared only within one address family: a dual-stack master advertises in both. */
    static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet6Address) == (b instanceof Inet6Address);
    }

    /** The sender addresses of gratuitous ARPs, in order of appearance. */
    private static List<InetAddress> gratuitousArpSenders(List<AdvertChain.Verdict> verdicts) {
        List<InetAddress> out = new ArrayList<>();
        for (AdvertChain.Verdict v : verdicts) {
            if (v.decoded() instanceof Decoded.ArpFrame a) {
                ArpPacket p = a.packet();
                if (p.isGratuitous() && !out.contains(p.senderIp())) {
                    out.add(p.senderIp());
                }
            }
        }
        return out;
    }
}
