package dev.karp.sniff;

import dev.karp.carp.AuthMode;
import dev.karp.carp.CarpPacket;
import dev.karp.carp.Decoded;
import dev.karp.carp.DigestStatus;
import dev.karp.carp.DropReason;
import dev.karp.carp.VipAddresses;
import dev.karp.carp.VrrpPacket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One CARP or VRRP advert seen by {@code karp sniff}, with what is wrong with it. */
public sealed interface SniffRecord {
    Instant time();

    /** Time since the first frame of the capture. */
    Duration sinceStart();

    /**
     * Short descriptions of what is wrong; empty when nothing is. When a daemon would drop the advert,
     * the first is {@code dropped: } and the daemon's words, e.g. {@code dropped: bad TTL 64 (expected: 255); ...}.
     */
    List<String> problems();

    /** The reason a daemon would drop this advert for (ucarp-spec §1.6, {@link dev.karp.carp.AdvertChain}), if any. */
    Optional<DropReason> drop();

    /** The vhid (CARP) or VRID (VRRP). */
    int vhid();

    InetAddress source();

    /**
     * A CARP advert.
     *
     * @param frame        the decoded frame with its checksum verdicts
     * @param digest       the HMAC verdict
     * @param verifiedWith the addresses the HMAC verified with, when it did
     * @param vipOrigin    where that VIP came from
     * @param drop         why a daemon with this password and VIP would drop it
     * @param verifiedAs   which digest verified ({@code ucarp}'s or a {@code strict} one), when one did
     */
    record Carp(Instant time, Duration sinceStart, Decoded.CarpFrame frame, DigestStatus digest,
            Optional<VipAddresses> verifiedWith, Optional<VipOrigin> vipOrigin, Optional<DropReason> drop,
            List<String> problems, Optional<AuthMode> verifiedAs) implements SniffRecord {
        public Carp {
            Objects.requireNonNull(verifiedAs, "verifiedAs");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(sinceStart, "sinceStart");
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(verifiedWith, "verifiedWith");
            Objects.requireNonNull(vipOrigin, "vipOrigin");
            Objects.requireNonNull(drop, "drop");
            problems = List.copyOf(problems);
        }

        public CarpPacket packet() {
            return frame.packet();
        }

        @Override
        public int vhid() {
            return frame.packet().vhid();
        }

        @Override
        public InetAddress source() {
            return frame.packet().ipSrc();
        }

        /** True for OpenBSD's bow-out advert (advbase 255, advskew 255). */
        public boolean bowOut() {
            return frame.packet().isBowOut();
        }

        Carp withProblem(String problem) {
            List<String> more = new java.util.ArrayList<>(problems);
            more.add(problem);
            return new Carp(time, sinceStart, frame, digest, verifiedWith, vipOrigin, drop, more, verifiedAs);
        }
    }

    /** A VRRP advert: same protocol number and group as CARP, but another protocol. */
    record Vrrp(Instant time, Duration sinceStart, Decoded.VrrpFrame frame, List<String> problems) implements SniffRecord {
        public Vrrp {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(sinceStart, "sinceStart");
            Objects.requireNonNull(frame, "frame");
            problems = List.copyOf(problems);
        }

        public VrrpPacket packet() {
            return frame.packet();
        }

        /** Always {@link DropReason#VRRP}: a CARP receiver drops every VRRP advert. */
        @Override
        public Optional<DropReason> drop() {
            return Optional.of(DropReason.VRRP);
        }

        @Override
        public int vhid() {
            return frame.packet().vrid();
        }

        @Override
        public InetAddress source() {
            return frame.packet().ipSrc();
        }
    }

    /** Where the VIP used to check an HMAC came from. */
    enum VipOrigin {
        /** Given with {@code --vip}. */
        OPTION,
        /** Announced by a gratuitous ARP in the capture. */
        GRATUITOUS_ARP;

        /** {@code --vip} or {@code gratuitous ARP}. */
        public String text() {
            return this == OPTION ? "--vip" : "gratuitous ARP";
        }
    }
}
