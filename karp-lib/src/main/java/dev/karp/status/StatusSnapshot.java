package dev.karp.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code GET /status} returns: one node's view of its vhid, as JSON with stable camelCase keys in this
 * order. Example:
 * <pre>
 * {"state":"MASTER","vip":"10.200.0.100/24","interface":"eth0","vhid":7,"advbase":1,"advskew":0,
 *  "master":"10.200.0.11","masterDownSeconds":null,"since":"2026-11-26T11:09:22.123Z","transitions":2,"vipPresent":true,
 *  "health":null,"peers":[],"counters":{"sent":120,"received":3,"rejected":{"BAD_DIGEST":4}},
 *  "lastTransitions":[{"at":"2026-11-26T11:09:22.123Z","from":"BACKUP","to":"MASTER","reason":"master down"}]}
 * </pre>
 *
 * @param state           {@code INIT}, {@code BACKUP} or {@code MASTER}
 * @param vip             the VIP with its prefix, e.g. {@code 10.200.0.100/24}
 * @param interfaceName   the interface (JSON key {@code interface})
 * @param vhid            the vhid
 * @param advbase         own advbase
 * @param advskew         own advskew
 * @param master          the IP of the master this node believes in (itself when MASTER), or null if none is known
 * @param since           when the current state began
 * @param transitions     state changes since start
 * @param vipPresent      whether the VIP is on the interface now, or null if not checked
 * @param health          the health check's verdict (free text such as {@code ok} or a failure), or null if none runs
 * @param peers           other nodes heard recently
 * @param counters        adverts sent, received, and rejected by reason
 * @param lastTransitions the most recent state changes, oldest first
 * @param masterDownSeconds a BACKUP's wait for the next advert before it takes over (at advbase 0 it
 *                        widens after late adverts; docs/protocol.md), or null unless BACKUP
 * @param alerts          what the node noticed of spoofing, conflicts and split brains, and the capture's drops
 *                        (issue 16); {@link Alerts#NONE} when nothing (the JSON then has no {@code alerts} key)
 */
@JsonPropertyOrder({"state", "vip", "vips", "interface", "vhid", "advbase", "advskew", "master", "masterDownSeconds",
    "since", "transitions", "vipPresent", "health", "peers", "unheardPeers", "counters", "alerts", "lastTransitions",
    "groups"})
public record StatusSnapshot(
        String state,
        String vip,
        @JsonProperty("interface") String interfaceName,
        int vhid,
        int advbase,
        int advskew,
        String master,
        Instant since,
        long transitions,
        Boolean vipPresent,
        String health,
        List<Peer> peers,
        Counters counters,
        List<Transition> lastTransitions,
        Double masterDownSeconds,
        List<String> vips,
        List<StatusSnapshot> groups,
        List<String> unheardPeers,
        Alerts alerts) {

    /** The states a node reports; INIT only exists during startup (ucarp-spec §4). */
    public static final Set<String> STATES = Set.of("INIT", "BACKUP", "MASTER");

    public StatusSnapshot {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state " + state + " is not one of INIT, BACKUP, MASTER");
        }
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(since, "since");
        peers = peers == null ? List.of() : List.copyOf(peers);
        counters = counters == null ? Counters.NONE : counters;
        lastTransitions = lastTransitions == null ? List.of() : List.copyOf(lastTransitions);
        vips = vips == null || vips.isEmpty() ? List.of(vip) : List.copyOf(vips);
        groups = groups == null ? List.of() : List.copyOf(groups);
        unheardPeers = unheardPeers == null ? List.of() : List.copyOf(unheardPeers);
        alerts = alerts == null ? Alerts.NONE : alerts;
    }

    /** A snapshot without alerts. */
    public StatusSnapshot(String state, String vip, String interfaceName, int vhid, int advbase, int advskew,
            String master, Instant since, long transitions, Boolean vipPresent, String health, List<Peer> peers,
            Counters counters, List<Transition> lastTransitions, Double masterDownSeconds, List<String> vips,
            List<StatusSnapshot> groups, List<String> unheardPeers) {
        this(state, vip, interfaceName, vhid, advbase, advskew, master, since, transitions, vipPresent, health, peers,
                counters, lastTransitions, masterDownSeconds, vips, groups, unheardPeers, Alerts.NONE);
    }

    /** A snapshot of one group with one VIP, as karp served before groups existed. */
    public StatusSnapshot(String state, String vip, String interfaceName, int vhid, int advbase, int advskew,
            String master, Instant since, long transitions, Boolean vipPresent, String health, List<Peer> peers,
            Counters counters, List<Transition> lastTransitions, Double masterDownSeconds) {
        this(state, vip, interfaceName, vhid, advbase, advskew, master, since, transitions, vipPresent, health, peers,
                counters, lastTransitions, masterDownSeconds, List.of(vip), List.of(), List.of());
    }

    /** Every group's snapshot: {@link #groups()}, or this one alone when it lists none (an older daemon). */
    public List<StatusSnapshot> allGroups() {
        return groups.isEmpty() ? List.of(this) : groups;
    }

    /**
     * The JSON form of a failover's status: the first group's fields at the top (what single-group clients read)
     * and every group in {@code groups}.
     */
    public static StatusSnapshot of(dev.karp.FailoverStatus status) {
        List<StatusSnapshot> all = new java.util.ArrayList<>();
        for (dev.karp.GroupStatus g : status.groups()) {
            all.add(of(g));
        }
        StatusSnapshot f = all.get(0);
        return new StatusSnapshot(f.state, f.vip, f.interfaceName, f.vhid, f.advbase, f.advskew, f.master, f.since,
                f.transitions, f.vipPresent, f.health, f.peers, f.counters, f.lastTransitions, f.masterDownSeconds,
                f.vips, all, f.unheardPeers, f.alerts);
    }

    /** A snapshot with the basic fields only; the others empty or unknown (null). */
    public static StatusSnapshot of(String state, String vip, String interfaceName, int vhid, int advbase, int advskew,
            String master, Instant since, long transitions) {
        return new StatusSnapshot(state, vip, interfaceName, vhid, advbase, advskew, master, since, transitions,
                null, null, List.of(), Counters.NONE, List.of(), null);
    }

    /** The JSON form of a group's status, as the daemon serves it on {@code GET /status}. */
    public static StatusSnapshot of(dev.karp.GroupStatus g) {
        List<Peer> peers = new java.util.ArrayList<>();
        for (dev.karp.GroupStatus.Peer p : g.peers()) {
            peers.add(new Peer(p.source(), p.advbase(), p.advskew(), p.lastSeenAgo().toMillis()));
        }
        List<Transition> changes = new java.util.ArrayList<>();
        for (dev.karp.StateChange c : g.recentChanges()) {
            changes.add(new Transition(c.at(), c.from().name(), c.to().name(), c.reason()));
        }
        // STOPPED is the library's word for a loop that ended; the endpoint is gone by then, so it never shows.
        String state = g.state() == dev.karp.FailoverState.STOPPED ? "BACKUP" : g.state().name();
        return new StatusSnapshot(state, g.vip(), g.interfaceName(), g.vhid(), g.advbase(), g.advskew(),
                g.master().orElse(null), g.since(), g.transitions(), g.vipPresent().orElse(null),
                g.health().orElse(null), peers,
                new Counters(g.counters().sent(), g.counters().received(), g.counters().rejected()), changes,
                g.masterDownSeconds().isPresent() ? g.masterDownSeconds().getAsDouble() : null, g.vips(), List.of(),
                g.unheardPeers(), Alerts.of(g.alerts()));
    }

    /**
     * Another node heard on the vhid.
     *
     * @param src               its IP source address
     * @param advbase           the advbase it advertised
     * @param advskew           the advskew it advertised
     * @param lastSeenMillisAgo how long ago its last valid advert arrived
     */
    @JsonPropertyOrder({"src", "advbase", "advskew", "lastSeenMillisAgo"})
    public record Peer(String src, int advbase, int advskew, long lastSeenMillisAgo) {
        public Peer {
            Objects.requireNonNull(src, "src");
        }
    }

    /**
     * Advert counters.
     *
     * @param sent     adverts sent
     * @param received valid adverts received
     * @param rejected dropped packets by reason (DropReason names), sorted by reason
     */
    @JsonPropertyOrder({"sent", "received", "rejected"})
    public record Counters(long sent, long received, Map<String, Long> rejected) {
        public static final Counters NONE = new Counters(0, 0, Map.of());

        public Counters {
            rejected = rejected == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(rejected));
        }
    }

    /**
     * What a node noticed that may mean an attack or a split brain (issue 16), and what its capture lost.
     *
     * @param spoofedFrom      the Ethernet source of the last advert claiming this node's own address that was
     *                         none of its own (within the last minute), or null
     * @param vipConflicts     claims of a VIP by another MAC seen while MASTER, since start
     * @param vipConflict      the last such claim, {@code VIP at MAC} (within the last minute), or null
     * @param phantomMaster    a BACKUP following a master that does not hold the VIP: what it saw, or null
     * @param secondMasters    times two masters of the vhid were heard at once, since start
     * @param secondMaster     the two masters heard lately, or null
     * @param captureDropped   libpcap's {@code ps_drop}: frames its capture ring had no room for, or null
     * @param captureIfDropped libpcap's {@code ps_ifdrop}: frames the interface dropped, or null
     */
    @JsonPropertyOrder({"spoofedFrom", "vipConflicts", "vipConflict", "phantomMaster", "secondMasters", "secondMaster",
        "captureDropped", "captureIfDropped"})
    public record Alerts(String spoofedFrom, long vipConflicts, String vipConflict, String phantomMaster,
            long secondMasters, String secondMaster, Long captureDropped, Long captureIfDropped) {
        public static final Alerts NONE = new Alerts(null, 0, null, null, 0, null, null, null);

        /** The JSON form of a group's alerts. */
        public static Alerts of(dev.karp.GroupStatus.Alerts a) {
            return new Alerts(a.spoofedFrom().orElse(null), a.vipConflicts(), a.vipConflict().orElse(null),
                    a.phantomMaster().orElse(null), a.secondMasters(), a.secondMaster().orElse(null),
                    a.captureDropped().isPresent() ? a.captureDropped().getAsLong() : null,
                    a.captureIfDropped().isPresent() ? a.captureIfDropped().getAsLong() : null);
        }

        /** True when there is something to say: the JSON leaves the key out otherwise. */
        public boolean any() {
            return !equals(NONE);
        }
    }

    /**
     * One state change.
     *
     * @param at     when
     * @param from   the state left
     * @param to     the state entered
     * @param reason why, in the words of the log line ({@code master down}, {@code preferred master advertised})
     */
    @JsonPropertyOrder({"at", "from", "to", "reason"})
    public record Transition(Instant at, String from, String to, String reason) {
        public Transition {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
