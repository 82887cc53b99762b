package dev.karp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One group's view of itself at one moment, as {@link VipFailover#status()} reports it. The same facts as
 * {@code karp status} shows and {@code GET /status} serves.
 *
 * @param vhid              the virtual host id
 * @param interfaceName     the interface the group runs on
 * @param vip               the (first) VIP with its prefix, e.g. {@code 10.200.0.100/24}
 * @param vips              every VIP of the group with its prefix, the first being {@code vip}
 * @param state             the state now
 * @param advbase           this node's advbase
 * @param advskew           this node's advskew now (240 while demoted by a failing health check)
 * @param master            the address of the master this node follows (its own when MASTER), if one is known
 * @param since             when the current state began
 * @param transitions       state changes since start
 * @param vipPresent        whether the VIPs were on the interface at the last check (a MASTER: all of them; a
 *                          BACKUP: any of them); empty before the first check and while the interface is gone
 * @param health            the health check's verdict ({@code ok}, {@code failing: ...}); empty without a check
 *                          and before its first result
 * @param peers             other nodes heard lately
 * @param counters          adverts sent, received and rejected
 * @param recentChanges     the last state changes, oldest first
 * @param masterDownSeconds a BACKUP's wait for the master's next advert before it takes over; empty unless BACKUP
 * @param unheardPeers      unicast mode: the listed peers no advert came from since start (backups are silent, so
 *                          on a healthy group this names the backups; a node that took over hearing none of them
 *                          cannot reach them); empty in multicast mode
 * @param alerts            spoofing, address conflicts, a phantom master, two masters, and the capture's drops
 *                          (issue 16)
 */
public record GroupStatus(
        int vhid,
        String interfaceName,
        String vip,
        List<String> vips,
        FailoverState state,
        int advbase,
        int advskew,
        Optional<String> master,
        Instant since,
        long transitions,
        Optional<Boolean> vipPresent,
        Optional<String> health,
        List<Peer> peers,
        Counters counters,
        List<StateChange> recentChanges,
        OptionalDouble masterDownSeconds,
        List<String> unheardPeers,
        Alerts alerts) {

    /** Checks that no component is null and copies the lists. */
    public GroupStatus {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(vipPresent, "vipPresent");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(masterDownSeconds, "masterDownSeconds");
        unheardPeers = List.copyOf(unheardPeers);
        Objects.requireNonNull(alerts, "alerts");
        vips = List.copyOf(vips);
        peers = List.copyOf(peers);
        recentChanges = List.copyOf(recentChanges);
    }

    /** A status without alerts ({@link Alerts#NONE}). */
    public GroupStatus(int vhid, String interfaceName, String vip, List<String> vips, FailoverState state, int advbase,
            int advskew, Optional<String> master, Instant since, long transitions, Optional<Boolean> vipPresent,
            Optional<String> health, List<Peer> peers, Counters counters, List<StateChange> recentChanges,
            OptionalDouble masterDownSeconds, List<String> unheardPeers) {
        this(vhid, interfaceName, vip, vips, state, advbase, advskew, master, since, transitions, vipPresent, health,
                peers, counters, recentChanges, masterDownSeconds, unheardPeers, Alerts.NONE);
    }

    /**
     * What the group noticed that may mean an attack or a split brain (issue 16), and what its capture lost.
     *
     * @param spoofedFrom      the Ethernet source of the last advert claiming this node's own address that was none
     *                         of its own, if one came within the last minute (counted as {@code SPOOFED_SOURCE})
     * @param vipConflicts     claims of a VIP (ARP, neighbour advertisements) by another MAC seen while MASTER
     * @param vipConflict      the last such claim ({@code 10.200.0.100 at 02:00:00:00:00:77}), if within the last minute
     * @param phantomMaster    a BACKUP following a master that does not hold the VIP: what it saw
     * @param secondMasters    times two masters of the vhid were heard at once
     * @param secondMaster     the two masters heard lately, if any
     * @param captureDropped   libpcap's {@code ps_drop} (frames the capture ring had no room for), when known
     * @param captureIfDropped libpcap's {@code ps_ifdrop} (frames the interface dropped), when known
     */
    public record Alerts(Optional<String> spoofedFrom, long vipConflicts, Optional<String> vipConflict,
            Optional<String> phantomMaster, long secondMasters, Optional<String> secondMaster,
            OptionalLong captureDropped, OptionalLong captureIfDropped) {
        /** Nothing noticed, nothing known of the capture. */
        public static final Alerts NONE = new Alerts(Optional.empty(), 0, Optional.empty(), Optional.empty(), 0,
                Optional.empty(), OptionalLong.empty(), OptionalLong.empty());

        /** Checks that no component is null. */
        public Alerts {
            Objects.requireNonNull(spoofedFrom, "spoofedFrom");
            Objects.requireNonNull(vipConflict, "vipConflict");
            Objects.requireNonNull(phantomMaster, "phantomMaster");
            Objects.requireNonNull(secondMaster, "secondMaster");
            Objects.requireNonNull(captureDropped, "captureDropped");
            Objects.requireNonNull(captureIfDropped, "captureIfDropped");
        }
    }

    /**
     * Another node heard in the group.
     *
     * @param source      its address, the adverts' IP source
     * @param advbase     the advbase it advertised
     * @param advskew     the advskew it advertised
     * @param lastSeenAgo how long ago its last valid advert arrived
     */
    public record Peer(String source, int advbase, int advskew, Duration lastSeenAgo) {
        /** Checks that no component is null. */
        public Peer {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(lastSeenAgo, "lastSeenAgo");
        }
    }

    /**
     * Adverts counted since start.
     *
     * @param sent     adverts sent
     * @param received valid adverts received from other nodes
     * @param rejected frames dropped, by reason ({@code BAD_TTL}, {@code BAD_DIGEST}, ...), only reasons seen
     */
    public record Counters(long sent, long received, Map<String, Long> rejected) {
        /** Copies the rejected counts, sorted by reason. */
        public Counters {
            rejected = Map.copyOf(new TreeMap<>(rejected));
        }

        /**
         * All rejected frames, whatever the reason.
         *
         * @return the sum of {@link #rejected()}
         */
        public long rejectedTotal() {
            long n = 0;
            for (long v : rejected.values()) {
                n += v;
            }
            return n;
        }
    }
}
