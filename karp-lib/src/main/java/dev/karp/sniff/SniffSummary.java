package dev.karp.sniff;

import dev.karp.carp.DigestStatus;
import dev.karp.carp.VipAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a capture shows, per vhid.
 *
 * @param start         time of the first frame, if any
 * @param end           time of the last frame, if any
 * @param frames        every frame read
 * @param carpAdverts   CARP adverts (of the selected vhid)
 * @param vrrpAdverts   VRRP adverts (of the selected VRID)
 * @param arps          ARP frames, gratuitous or not
 * @param other         frames that are neither (IGMP, IPv6, other vhids...)
 * @param vipCandidates addresses announced by gratuitous ARPs, in order of appearance
 * @param vhids         one entry per CARP vhid, by vhid
 * @param vrrpRouters   one entry per VRRP (version, VRID, source)
 */
public record SniffSummary(Optional<Instant> start, Optional<Instant> end, int frames, int carpAdverts, int vrrpAdverts,
        int arps, int other, List<InetAddress> vipCandidates, List<Vhid> vhids, List<VrrpRouter> vrrpRouters) {

    public SniffSummary {
        vipCandidates = List.copyOf(vipCandidates);
        vhids = List.copyOf(vhids);
        vrrpRouters = List.copyOf(vrrpRouters);
    }

    /**
     * One CARP vhid.
     *
     * @param vhid            the vhid
     * @param adverts         its adverts
     * @param sources         every source that advertised, in order of appearance
     * @param digests         how many adverts had each HMAC verdict
     * @param verifiedVips    the address sets that verified at least one HMAC, with how many
     * @param vipOrigin       where the VIPs came from, when any verified
     * @param masters         who advertised (was master) from when to when
     * @param transitions     changes of master
     * @param dualMasters     periods with more than one master
     * @param possibleReplays adverts whose counter was seen before in a different advert
     * @param notes           anything else worth saying, e.g. why digests are unchecked
     */
    public record Vhid(int vhid, int adverts, List<InetAddress> sources, Map<DigestStatus, Integer> digests,
            Map<VipAddresses, Integer> verifiedVips, Optional<SniffRecord.VipOrigin> vipOrigin, List<MasterPeriod> masters,
            List<Transition> transitions, List<DualMaster> dualMasters, int possibleReplays, List<String> notes) {
        public Vhid {
            sources = List.copyOf(sources);
            digests = Map.copyOf(digests);
            verifiedVips = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(verifiedVips));
            masters = List.copyOf(masters);
            transitions = List.copyOf(transitions);
            dualMasters = List.copyOf(dualMasters);
            notes = List.copyOf(notes);
        }

        public int digestCount(DigestStatus status) {
            return digests.getOrDefault(status, 0);
        }
    }

    /**
     * A source advertising without a gap: it was master from its first to its last advert of the
     * period. See {@link SniffAnalyzer} for where a period ends.
     */
    public record MasterPeriod(InetAddress source, Instant from, Instant until, Duration fromStart, Duration untilStart,
            int adverts, End end) {
    }

    /** How a master period ended. */
    public enum End {
        /** It stopped advertising while nobody else was: it stopped, died or lost its link. */
        SILENT,
        /** It stopped advertising while another source went on: it gave way to another master. */
        YIELDED,
        /** It sent a bow-out advert (advbase 255, advskew 255). */
        BOW_OUT,
        /** It was still advertising when the capture ended. */
        END_OF_CAPTURE;

        public String text() {
            return switch (this) {
                case SILENT -> "then silent";
                case YIELDED -> "then yielded";
                case BOW_OUT -> "then bowed out";
                case END_OF_CAPTURE -> "until the end of the capture";
            };
        }

        public String word() {
            return switch (this) {
                case SILENT -> "silent";
                case YIELDED -> "yielded";
                case BOW_OUT -> "bow-out";
                case END_OF_CAPTURE -> "end-of-capture";
            };
        }
    }

    /**
     * A new master period starting after another source's.
     *
     * @param at            when the new master's first advert was seen
     * @param atStart       the same, since the start of the capture
     * @param from          the master before (the period that ended last)
     * @param to            the new master
     * @param withoutMaster time between the old master's last advert and the new one's first; zero on overlap
     */
    public record Transition(Instant at, Duration atStart, InetAddress from, InetAddress to, Duration withoutMaster) {
    }

    /** A time when more than one source of a vhid was master. */
    public record DualMaster(Instant from, Instant until, Duration fromStart, Duration untilStart, List<InetAddress> sources) {
        public DualMaster {
            sources = List.copyOf(sources);
        }
    }

    /** A VRRP router seen on the link. */
    public record VrrpRouter(int version, int vrid, InetAddress source, int adverts, int priority, Duration interval,
            List<Inet4Address> addresses) {
        public VrrpRouter {
            addresses = List.copyOf(addresses);
        }
    }
}
