package dev.karp.sniff;

import dev.karp.carp.CarpPacket;
import dev.karp.carp.DigestStatus;
import dev.karp.net.IpAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The warnings of a live {@code karp sniff}, given the moment the evidence arrives, each once. Pure: records of
 * {@link SniffAnalyzer#live} in, alerts out.
 *
 * <ul>
 *   <li><b>Two masters</b> (split brain): two sources of one vhid keep advertising side by side: each has sent
 *       at least {@link #SPLIT_BRAIN_ADVERTS} adverts since the later of them started its master period
 *       (periods as {@link SniffAnalyzer} defines them), and the other advertised between this source's last
 *       two adverts. That leaves out what UCarp does on purpose or for a moment: a clean preemption, where the
 *       yielding master sends a single advert after the new master's first (ucarp-spec §4.6), and two nodes
 *       starting together, both master for up to a second before one yields (§7.5; vectors 01, 08). A split
 *       brain at advbase 1 is reported within about three seconds. Warned once per pair of periods.</li>
 *   <li><b>Bad digest</b>: an advert whose HMAC does not verify with the given password and VIP; once per
 *       vhid and source.</li>
 *   <li><b>Unchecked digests</b>: a password was given but no VIP is known yet to check HMACs with (no
 *       {@code --vip}, no gratuitous ARP seen); once per vhid.</li>
 *   <li><b>VRRP on a CARP vhid</b>: a VRRP router whose VRID equals a CARP vhid on the same link (UCarp drops
 *       its adverts and logs each one); once per VRID and router.</li>
 * </ul>
 */
public final class SniffAlerts {
    /** Adverts each of two sources must send during their overlap to count as two masters. */
    static final int SPLIT_BRAIN_ADVERTS = 3;

    /** What an alert is about. */
    public enum Kind {
        SPLIT_BRAIN("split-brain"),
        BAD_DIGEST("bad-digest"),
        UNCHECKED_DIGEST("unchecked-digest"),
        VRRP_SAME_ID("vrrp-same-id");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The kebab-case name used in JSON. */
        public String word() {
            return word;
        }
    }

    /**
     * One warning.
     *
     * @param time    the capture time of the advert that gave the evidence
     * @param kind    what it is about
     * @param vhid    the vhid (or VRID)
     * @param sources the sources involved; for two masters, the one that became master first
     * @param message one line for a person
     */
    public record Alert(Instant time, Kind kind, int vhid, List<InetAddress> sources, String message) {
        public Alert {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(kind, "kind");
            sources = List.copyOf(sources);
            Objects.requireNonNull(message, "message");
        }
    }

    private final Map<Integer, Map<InetAddress, Period>> periods = new HashMap<>();
    private final Set<String> said = new HashSet<>();
    private final Map<Integer, Set<InetAddress>> vrrpRouters = new LinkedHashMap<>();
    private final Set<Integer> carpVhids = new HashSet<>();
    private final boolean checkingDigests;
    private long nextPeriodId;

    /** @param checkingDigests whether a password was given, so HMACs are checked */
    public SniffAlerts(boolean checkingDigests) {
        this.checkingDigests = checkingDigests;
    }

    /** The alerts {@code record} gives rise to, usually none. Records must come in capture order. */
    public List<Alert> offer(SniffRecord record) {
        List<Alert> out = new ArrayList<>();
        if (record instanceof SniffRecord.Carp c) {
            carp(c, out);
        } else if (record instanceof SniffRecord.Vrrp v) {
            vrrp(v, out);
        }
        return out;
    }

    private void carp(SniffRecord.Carp c, List<Alert> out) {
        int vhid = c.vhid();
        InetAddress src = c.source();
        carpVhids.add(vhid);
        for (InetAddress router : vrrpRouters.getOrDefault(vhid, Set.of())) {
            vrrpSameId(c.time(), vhid, router, out);
        }
        if (c.digest() == DigestStatus.INVALID && said.add("digest/" + vhid + "/" + IpAddresses.format(src))) {
            out.add(new Alert(c.time(), Kind.BAD_DIGEST, vhid, List.of(src), "vhid " + vhid + ": the HMAC of "
                    + IpAddresses.format(src) + "'s adverts does not verify with this password and VIP"
                    + "; that node has another password, VIP or vhid"
                    + " (karp run drops them as bad HMAC, UCarp logs 'Bad digest'; neither acts on them)"));
        }
        // With a password, an unchecked digest means no VIP to check it with (SniffAnalyzer).
        if (checkingDigests && c.digest() == DigestStatus.UNCHECKED && said.add("unchecked/" + vhid)) {
            out.add(new Alert(c.time(), Kind.UNCHECKED_DIGEST, vhid, List.of(src), "vhid " + vhid
                    + ": cannot check HMACs yet: no VIP known (pass --vip, or wait for a gratuitous ARP)"));
        }
        splitBrain(c, out);
    }

    private void splitBrain(SniffRecord.Carp c, List<Alert> out) {
        CarpPacket p = c.packet();
        InetAddress src = c.source();
        Map<InetAddress, Period> byVhid = periods.computeIfAbsent(c.vhid(), k -> new LinkedHashMap<>());
        Period own = byVhid.get(src);
        if (own != null && Duration.between(own.last, c.time()).compareTo(own.maxGap()) > 0) {
            own = null;
        }
        if (p.isBowOut()) {
            byVhid.remove(src); // leaving: not master any more
            return;
        }
        if (own == null) {
            own = new Period(nextPeriodId++, c.time());
            byVhid.put(src, own);
        }
        Instant previous = own.recent.isEmpty() ? null : own.recent.peekLast();
        own.advert(c.time(), p.interval());
        List<InetAddress> others = byVhid.keySet().stream()
                .filter(o -> !o.equals(src) && SniffAnalyzer.sameFamily(o, src))
                .sorted(Comparator.comparing(IpAddresses::format))
                .toList();
        for (InetAddress other : others) {
            Period theirs = byVhid.get(other);
            if (previous == null || theirs.last.isBefore(previous)) {
                continue; // not advertising between our last two adverts: it yielded or went silent
            }
            Instant overlap = own.first.isAfter(theirs.first) ? own.first : theirs.first;
            if (own.advertsSince(overlap) < SPLIT_BRAIN_ADVERTS || theirs.advertsSince(overlap) < SPLIT_BRAIN_ADVERTS) {
                continue;
            }
            long lo = Math.min(own.id, theirs.id);
            long hi = Math.max(own.id, theirs.id);
            if (said.add("split/" + lo + "/" + hi)) {
                boolean theirsFirst = theirs.id < own.id;
                InetAddress a = theirsFirst ? other : src;
                InetAddress b = theirsFirst ? src : other;
                out.add(new Alert(c.time(), Kind.SPLIT_BRAIN, c.vhid(), List.of(a, b), "vhid " + c.vhid()
                        + ": two masters: " + IpAddresses.format(a) + " and " + IpAddresses.format(b)
                        + " both advertise (split brain); they do not hear each other's adverts or reject them"
                        + " (password, VIP, vhid, multicast, a partition)"));
            }
        }
    }

    private void vrrp(SniffRecord.Vrrp v, List<Alert> out) {
        vrrpRouters.computeIfAbsent(v.vhid(), k -> new LinkedHashSet<>()).add(v.source());
        if (carpVhids.contains(v.vhid())) {
            vrrpSameId(v.time(), v.vhid(), v.source(), out);
        }
    }

    private void vrrpSameId(Instant time, int vhid, InetAddress router, List<Alert> out) {
        if (said.add("vrrp/" + vhid + "/" + IpAddresses.format(router))) {
            out.add(new Alert(time, Kind.VRRP_SAME_ID, vhid, List.of(router), "VRRP router "
                    + IpAddresses.format(router) + " uses VRID " + vhid + ", the same as CARP vhid " + vhid
                    + ": UCarp drops its adverts as bad and logs each one; give one of them another ID"));
        }
    }

    /** A source's current master period: its first advert and the last few. */
    private static final class Period {
        final long id;
        final Instant first;
        final Deque<Instant> recent = new ArrayDeque<>();
        Instant last;
        Duration interval = Duration.ZERO;

        Period(long id, Instant first) {
            this.id = id;
            this.first = first;
            this.last = first;
        }

        void advert(Instant time, Duration advertised) {
            last = time;
            interval = advertised;
            recent.addLast(time);
            while (recent.size() > SPLIT_BRAIN_ADVERTS + 1) {
                recent.removeFirst();
            }
        }

        int advertsSince(Instant t) {
            int n = 0;
            for (Instant i : recent) {
                if (!i.isBefore(t)) {
                    n++;
                }
            }
            return n;
        }

        Duration maxGap() {
            Duration d = interval.multipliedBy(SniffAnalyzer.GAP_HALF_INTERVALS).dividedBy(2);
            return d.compareTo(SniffAnalyzer.MIN_GAP) < 0 ? SniffAnalyzer.MIN_GAP : d;
        }
    }
}
