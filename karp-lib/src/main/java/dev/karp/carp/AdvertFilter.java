package dev.karp.carp;

import static dev.karp.carp.CarpCodec.IP;
import static dev.karp.carp.CarpCodec.IP_DST;
import static dev.karp.carp.CarpCodec.IP_P;
import static dev.karp.carp.CarpCodec.IP_SRC;
import static dev.karp.carp.CarpCodec.IP_SUM;
import static dev.karp.carp.CarpCodec.IP_TTL;
import static dev.karp.carp.CarpCodec.IP_VHL;
import static dev.karp.carp.CarpCodec.u16;
import static dev.karp.carp.CarpCodec.u8;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Receive validation of one vhid: a flat chain of guard clauses in the order of ucarp-spec §1.6.
 * Every drop increments its {@link DropCounters} entry and returns a message naming what was seen
 * and what was expected. A drop changes nothing else: timers and state are the caller's, and a
 * dropped frame must not touch them.
 *
 * <p>Where karp departs from UCarp's order or checks, and why:
 * <ul>
 * <li>Non-IPv4 frames are dropped as {@link DropReason#NOT_IPV4} before the source check; UCarp's
 *     BPF filter {@code proto 112} never passes them.</li>
 * <li>After the protocol check (step 3) a VRRP advert is dropped as {@link DropReason#VRRP},
 *     so that a VRRP router shows up as such rather than as a bogus size or a bad version.</li>
 * <li>An IP header length below 20 is a {@link DropReason#BOGUS_SIZE}; UCarp would read garbage.</li>
 * <li>Step 9 checks the IP and CARP checksums one by one; UCarp sums both together, which would let
 *     two compensating errors through (ucarp-spec §3).</li>
 * <li>The HMAC is compared in constant time.</li>
 * </ul>
 * Frames are only read, never modified. Safe to share between threads: the HMAC is synchronized
 * and the counters are {@link java.util.concurrent.atomic.LongAdder}s.
 */
public final class AdvertFilter {

    /**
     * What this node expects of an advert.
     *
     * @param ownSource our {@code --srcip}; adverts from it are our own
     * @param vhid      our vhid
     * @param group     our multicast group; also the IP destination with nomcast
     * @param vip       our VIP, part of the HMAC message
     * @param hmac      keyed with our password
     */
    public record Config(Inet4Address ownSource, int vhid, Inet4Address group, Inet4Address vip, CarpHmac hmac) {
        public Config {
            Objects.requireNonNull(ownSource, "ownSource");
            Carp.checkVhid(vhid);
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(vip, "vip");
            Objects.requireNonNull(hmac, "hmac");
        }
    }

    /** The outcome of {@link #check}. */
    public sealed interface Verdict {
        /** A valid advert for our vhid, to be handed to the election. */
        record Accepted(CarpPacket packet) implements Verdict {
            public Accepted {
                Objects.requireNonNull(packet, "packet");
            }
        }

        /** A dropped frame; {@code message} is one log line. */
        record Dropped(DropReason reason, String message) implements Verdict {
            public Dropped {
                Objects.requireNonNull(reason, "reason");
                Objects.requireNonNull(message, "message");
            }
        }
    }

    private final Config config;
    private final DropCounters counters;
    private final int ownSource;
    private final int group;
    private final int vip;

    public AdvertFilter(Config config, DropCounters counters) {
        this.config = Objects.requireNonNull(config, "config");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.ownSource = Carp.toInt(config.ownSource());
        this.group = Carp.toInt(config.group());
        this.vip = Carp.toInt(config.vip());
    }

    public Config config() {
        return config;
    }

    public DropCounters counters() {
        return counters;
    }

    /**
     * Validates one received Ethernet frame ({@code frame.remaining()} bytes from its position,
     * which does not move). Never throws.
     */
    public Verdict check(ByteBuffer frame) {
        ByteBuffer b = frame.slice();
        int n = b.remaining();

        // 1. Captured length must be > 34 (Ethernet + IPv4 header).
        if (n <= CarpCodec.MIN_IP_FRAME) {
            return drop(null, CarpCodec.tooShort(n));
        }
        int etherType = u16(b, CarpCodec.ETH_TYPE);
        if (etherType != Carp.ETHERTYPE_IP) {
            return drop(null, DropReason.NOT_IPV4, "not IPv4: ethertype " + CarpCodec.hex4(etherType) + " (expected: 0x0800)");
        }
        int ipVersion = u8(b, IP + IP_VHL) >>> 4;
        if (ipVersion != 4) {
            return drop(null, DropReason.NOT_IPV4, "not IPv4: IP version " + ipVersion + " (expected: 4)");
        }
        int src = b.getInt(IP + IP_SRC);

        // 2. Our own advert, seen again: the link echoes what we send.
        if (src == ownSource) {
            return drop(src, DropReason.OWN_SOURCE, "the source is our own --srcip (our advert looped back,"
                    + " or another node uses the same address)");
        }

        // 3. Only IP protocol 112; a VRRP advert uses it too.
        int proto = u8(b, IP + IP_P);
        if (proto != Carp.IPPROTO_CARP) {
            return drop(src, CarpCodec.notCarp(proto));
        }
        int ihl = CarpCodec.ipHeaderLength(b);
        if (ihl < Carp.IP_HEADER_LEN) {
            return drop(src, CarpCodec.bogusIhl(ihl));
        }
        if (CarpCodec.isVrrp(b, n, ihl)) {
            return dropVrrp(src, frame);
        }

        // 4. The whole CARP header must be there; IP options are tolerated.
        if (n - IP < ihl + Carp.CARP_HEADER_LEN) {
            return drop(src, CarpCodec.bogusSize(n, ihl));
        }
        int carp = IP + ihl;

        // 5. TTL 255: anything less crossed a router.
        int ttl = u8(b, IP + IP_TTL);
        if (ttl != Carp.CARP_DFLTTL) {
            return drop(src, DropReason.BAD_TTL, "bad TTL " + ttl + " (expected: " + Carp.CARP_DFLTTL
                    + "); CARP nodes must share one link, with no router between them");
        }

        // 6. Version 2; the type is not checked, as in UCarp.
        int version = u8(b, carp + Carp.OFF_VERSION_TYPE) >>> 4;
        if (version != Carp.CARP_VERSION) {
            return drop(src, CarpCodec.badVersion(version));
        }

        // 7. Another virtual host on the same link is routine.
        int vhid = u8(b, carp + Carp.OFF_VHID);
        if (vhid != config.vhid()) {
            return drop(src, DropReason.OTHER_VHID, "vhid " + vhid + " (expected: " + config.vhid()
                    + "); another virtual host shares this link");
        }

        // 8. The IP destination must be our group, with nomcast too.
        int dst = b.getInt(IP + IP_DST);
        if (dst != group) {
            return drop(src, DropReason.OTHER_GROUP, "destination " + Carp.ipv4(dst).getHostAddress() + " (expected: "
                    + config.group().getHostAddress() + "); check the multicast group on both nodes");
        }

        // 9. Checksums, each on its own (UCarp sums both together, ucarp-spec §3).
        boolean ipOk = InetChecksum.checksum(b, IP, ihl) == 0;
        boolean carpOk = InetChecksum.checksum(b, carp, Carp.CARP_HEADER_LEN) == 0;
        if (!ipOk || !carpOk) {
            return drop(src, DropReason.BAD_CHECKSUM, checksumMessage(b, ihl, ipOk, carpOk));
        }

        // 10. HMAC over (2, 1, our vhid, our VIP, counter), compared in constant time.
        long counter = b.getLong(carp + Carp.OFF_COUNTER);
        if (!config.hmac().verify(config.vhid(), vip, counter, b, carp + Carp.OFF_DIGEST)) {
            return drop(src, DropReason.BAD_DIGEST, "bad HMAC; check --pass, --vhid and --addr on both nodes");
        }
        return new Verdict.Accepted(CarpCodec.carpPacket(b, ihl));
    }

    private static String checksumMessage(ByteBuffer b, int ihl, boolean ipOk, boolean carpOk) {
        int carp = IP + ihl;
        String ip = "bad IP checksum " + CarpCodec.hex4(u16(b, IP + IP_SUM)) + " (expected: "
                + CarpCodec.hex4(checksumWithout(b, IP, ihl, IP_SUM)) + ")";
        String c = "bad CARP checksum " + CarpCodec.hex4(u16(b, carp + Carp.OFF_CHECKSUM)) + " (expected: "
                + CarpCodec.hex4(checksumWithout(b, carp, Carp.CARP_HEADER_LEN, Carp.OFF_CHECKSUM)) + ")";
        String what = !ipOk && !carpOk ? ip + " and " + c : !ipOk ? ip : c;
        return what + "; the frame was damaged on the way";
    }

    /** The checksum the header should carry: computed with its 2-byte field at {@code field} skipped. */
    private static int checksumWithout(ByteBuffer b, int offset, int length, int field) {
        long sum = InetChecksum.sum(b, offset, field, 0);
        sum = InetChecksum.sum(b, offset + field + 2, length - field - 2, sum);
        return InetChecksum.finish(sum);
    }

    private Verdict dropVrrp(int src, ByteBuffer frame) {
        String what = CarpCodec.decode(frame) instanceof Decoded.VrrpFrame v
                ? "VRRPv" + v.packet().version() + " advert for VRID " + v.packet().vrid() + " with priority " + v.packet().priority()
                : "VRRP advert";
        return drop(src, DropReason.VRRP, what + ", not CARP; a VRRP router (e.g. keepalived) shares this link and IP protocol 112");
    }

    private Verdict drop(Integer src, Decoded.Rejected rejected) {
        return drop(src, rejected.reason(), rejected.message());
    }

    private Verdict drop(Integer src, DropReason reason, String detail) {
        counters.increment(reason);
        String what = reason == DropReason.NOT_CARP ? "packet" : "advert";
        String from = src == null ? "frame" : what + " from " + Carp.ipv4(src).getHostAddress();
        return new Verdict.Dropped(reason, "vhid " + config.vhid() + ": dropped " + from + ": " + detail);
    }
}
