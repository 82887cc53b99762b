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
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one receive validation of a frame: a flat chain of guard clauses in the order of
 * ucarp-spec §1.6, each failing with a {@link DropReason} and a one-line message naming what was
 * seen and what was expected. Three callers share it:
 * <ul>
 * <li>the daemon, through {@link AdvertFilter}, which expects everything of its configuration and
 *     counts the drops;</li>
 * <li>{@link CarpCodec#decode}, which expects nothing ({@link #ANY}) and keeps whatever the chain
 *     decoded ({@link Verdict#decoded()});</li>
 * <li>{@code karp sniff}, which expects the password and VIP it was given and shows, for every
 *     advert the daemon would drop, the same reason in the same words.</li>
 * </ul>
 * A check whose expectation is absent is skipped: the source check (§1.6 step 2), the vhid (7),
 * the group (8) and the HMAC (10). The others (length, protocol, size, TTL, version, checksums)
 * need no configuration and always run.
 *
 * <p>Where karp departs from UCarp's order or checks, and why:
 * <ul>
 * <li>Non-IPv4 frames are dropped as {@link DropReason#NOT_IPV4} before the source check; UCarp's
 *     BPF filter {@code proto 112} never passes them. An ARP frame is decoded on the way, for sniff.</li>
 * <li>After the protocol check (step 3) a VRRP advert is dropped as {@link DropReason#VRRP},
 *     so that a VRRP router shows up as such rather than as a bogus size or a bad version.</li>
 * <li>An IP header length below 20 is a {@link DropReason#BOGUS_SIZE}; UCarp would read garbage.</li>
 * <li>Step 9 checks the IP and CARP checksums one by one; UCarp sums both together, which would let
 *     two compensating errors through (ucarp-spec §3).</li>
 * <li>The HMAC is compared in constant time.</li>
 * </ul>
 *
 * <p>A drop from the TTL check on, of a whole CARP version-2 header, carries the advert
 * ({@link Decoded.CarpFrame}) as well as its reason. The accept path builds no string and allocates
 * only the decoded advert. A drop keeps the numbers it saw, and a copy of the frame when it carries an
 * advert; its message and the decoded advert are built only when asked for
 * ({@link Verdict.Dropped#message()}, {@link Verdict#decoded()}), so the daemon, which asks for
 * neither on a routine drop, pays for neither. Frames are only read, never modified, and the
 * buffer's position does not move. Immutable and safe to share between threads.
 */
public final class AdvertChain {

    /** Expects nothing: what {@link CarpCodec#decode} runs. */
    public static final AdvertChain ANY = new AdvertChain(Expect.NOTHING);

    /**
     * What a receiver expects of an advert; each absent part is a check skipped.
     *
     * @param ownSource our own source address: adverts from it are our own, looped back (step 2)
     * @param vhid      our vhid (step 7)
     * @param group     our group, the IP destination also with nomcast (step 8)
     * @param digest    our password and VIP, which the HMAC must match (step 10)
     */
    public record Expect(Optional<Inet4Address> ownSource, OptionalInt vhid, Optional<Inet4Address> group,
            Optional<Digest> digest) {
        /** Nothing expected: only the checks that need no configuration run. */
        public static final Expect NOTHING = new Expect(Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());

        public Expect {
            Objects.requireNonNull(ownSource, "ownSource");
            Objects.requireNonNull(vhid, "vhid");
            vhid.ifPresent(Carp::checkVhid);
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(digest, "digest");
        }

        /** Everything a daemon expects: every check runs. */
        public static Expect all(Inet4Address ownSource, int vhid, Inet4Address group, Inet4Address vip, CarpHmac hmac) {
            return new Expect(Optional.of(ownSource), OptionalInt.of(vhid), Optional.of(group),
                    Optional.of(new Digest(hmac, vip)));
        }

        /** Only the HMAC, with this password and VIP. */
        public static Expect digestOnly(CarpHmac hmac, Inet4Address vip) {
            return new Expect(Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.of(new Digest(hmac, vip)));
        }
    }

    /** The HMAC's key and the VIP it covers (ucarp-spec §2.2). */
    public record Digest(CarpHmac hmac, Inet4Address vip) {
        public Digest {
            Objects.requireNonNull(hmac, "hmac");
            Objects.requireNonNull(vip, "vip");
        }
    }

    /** The outcome of {@link #check}. */
    public sealed interface Verdict {
        /**
         * What the chain decoded: the advert when accepted; for a drop, the CARP, VRRP or ARP frame
         * when decoding got that far, else a {@link Decoded.Rejected} with the drop's reason and detail.
         */
        Decoded decoded();

        /** A valid advert, to be handed to the election. */
        record Accepted(Decoded.CarpFrame frame) implements Verdict {
            public Accepted {
                Objects.requireNonNull(frame, "frame");
            }

            public CarpPacket packet() {
                return frame.packet();
            }

            @Override
            public Decoded decoded() {
                return frame;
            }
        }

        /**
         * A dropped frame. Holds the numbers the failed check saw; {@link #detail()},
         * {@link #message()} and {@link #decoded()} are built from them on each call, so a drop
         * nobody logs or shows costs no string and no decoding.
         */
        final class Dropped implements Verdict {
            private final Guard guard;
            private final OptionalInt vhid;
            private final int source;
            private final long seen;
            private final long expected;
            /** A VRRP or ARP frame decoded on the way, or null. */
            private final Decoded decoded;
            /** A copy of a frame holding a CARP version-2 advert, decoded when asked for; or null. */
            private final byte[] advert;
            private final int ipHeaderLength;

            Dropped(Guard guard, OptionalInt vhid, int source, long seen, long expected, Decoded decoded,
                    byte[] advert, int ipHeaderLength) {
                this.guard = guard;
                this.vhid = vhid;
                this.source = source;
                this.seen = seen;
                this.expected = expected;
                this.decoded = decoded;
                this.advert = advert;
                this.ipHeaderLength = ipHeaderLength;
            }

            public DropReason reason() {
                return guard.reason;
            }

            /** The IP source, when the frame got as far as having one. */
            public Optional<Inet4Address> source() {
                return guard.hasSource ? Optional.of(Carp.ipv4(source)) : Optional.empty();
            }

            /**
             * What was wrong, seen and expected, with a hint where one helps, e.g. {@code bad TTL 64
             * (expected: 255); CARP nodes must share one link, with no router between them}.
             */
            public String detail() {
                return guard.detail(seen, expected, decoded);
            }

            /**
             * The log line: {@code vhid 7: dropped advert from 10.200.0.11: } and the {@link #detail()};
             * without an expected vhid it starts at {@code dropped}.
             */
            public String message() {
                String what = guard.reason == DropReason.NOT_CARP ? "packet" : "advert";
                String from = guard.hasSource ? what + " from " + Carp.ipv4(source).getHostAddress() : "frame";
                return (vhid.isPresent() ? "vhid " + vhid.getAsInt() + ": " : "") + "dropped " + from + ": " + detail();
            }

            @Override
            public Decoded decoded() {
                if (decoded != null) {
                    return decoded;
                }
                if (advert != null) {
                    return CarpCodec.carpFrame(ByteBuffer.wrap(advert), ipHeaderLength, advert.length);
                }
                return new Decoded.Rejected(guard.reason, detail());
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Dropped d && guard == d.guard && vhid.equals(d.vhid) && source == d.source
                        && seen == d.seen && expected == d.expected && Objects.equals(decoded, d.decoded)
                        && Arrays.equals(advert, d.advert) && ipHeaderLength == d.ipHeaderLength;
            }

            @Override
            public int hashCode() {
                return Objects.hash(guard, source, seen, expected);
            }

            @Override
            public String toString() {
                return "Dropped[" + guard.reason + ": " + message() + "]";
            }
        }
    }

    /**
     * The guard clauses, in the order they run, with the words of their drop messages. Several may
     * share a reason (two ways of not being IPv4, two bogus sizes).
     */
    enum Guard {
        TOO_SHORT(DropReason.TOO_SHORT, false),
        ETHERTYPE(DropReason.NOT_IPV4, false),
        IP_VERSION(DropReason.NOT_IPV4, false),
        OWN_SOURCE(DropReason.OWN_SOURCE, true),
        PROTOCOL(DropReason.NOT_CARP, true),
        IP_HEADER_LENGTH(DropReason.BOGUS_SIZE, true),
        VRRP(DropReason.VRRP, true),
        SIZE(DropReason.BOGUS_SIZE, true),
        TTL(DropReason.BAD_TTL, true),
        VERSION(DropReason.BAD_VERSION, true),
        VHID(DropReason.OTHER_VHID, true),
        GROUP(DropReason.OTHER_GROUP, true),
        CHECKSUM(DropReason.BAD_CHECKSUM, true),
        DIGEST(DropReason.BAD_DIGEST, true);

        final DropReason reason;
        final boolean hasSource;

        Guard(DropReason reason, boolean hasSource) {
            this.reason = reason;
            this.hasSource = hasSource;
        }

        String detail(long seen, long expected, Decoded decoded) {
            return switch (this) {
                case TOO_SHORT -> "short frame: " + seen + " bytes (expected: " + expected + ")";
                case ETHERTYPE -> "not IPv4: ethertype " + CarpCodec.hex4((int) seen) + " (expected: " + CarpCodec.hex4((int) expected) + ")";
                case IP_VERSION -> "not IPv4: IP version " + seen + " (expected: " + expected + ")";
                case OWN_SOURCE -> "the source is our own --srcip (our advert looped back, or another node uses the same address)";
                case PROTOCOL -> "IP protocol " + seen + " (expected: " + expected + ")";
                case IP_HEADER_LENGTH -> "bogus IP header length " + seen + " (expected: 20..60)";
                case VRRP -> vrrpDetail(decoded);
                case SIZE -> "short frame: " + seen + " bytes (expected: " + expected
                        + (expected == Carp.FRAME_LEN ? ")" : " with a " + (expected - IP - Carp.CARP_HEADER_LEN) + "-byte IP header)");
                case TTL -> "bad TTL " + seen + " (expected: " + expected + "); CARP nodes must share one link, with no router between them";
                case VERSION -> "bad CARP version " + seen + " (expected: " + expected + ")";
                case VHID -> "vhid " + seen + " (expected: " + expected + "); another virtual host shares this link";
                case GROUP -> "destination " + Carp.ipv4((int) seen).getHostAddress() + " (expected: "
                        + Carp.ipv4((int) expected).getHostAddress() + "); check the multicast group on both nodes";
                case CHECKSUM -> checksumDetail(seen, expected);
                case DIGEST -> "bad HMAC; check --pass, --vhid and --addr on both nodes";
            };
        }

        private static String vrrpDetail(Decoded decoded) {
            String what = decoded instanceof Decoded.VrrpFrame v
                    ? "VRRPv" + v.packet().version() + " advert for VRID " + v.packet().vrid() + " with priority " + v.packet().priority()
                    : "VRRP advert";
            return what + ", not CARP; a VRRP router (e.g. keepalived) shares this link and IP protocol 112";
        }

        /** {@code seen} and {@code expected} hold the IP checksum in bits 16..31 and the CARP checksum in 0..15. */
        private static String checksumDetail(long seen, long expected) {
            int ipSeen = (int) (seen >>> 16);
            int ipExpected = (int) (expected >>> 16);
            int carpSeen = (int) (seen & 0xffff);
            int carpExpected = (int) (expected & 0xffff);
            String ip = "bad IP checksum " + CarpCodec.hex4(ipSeen) + " (expected: " + CarpCodec.hex4(ipExpected) + ")";
            String carp = "bad CARP checksum " + CarpCodec.hex4(carpSeen) + " (expected: " + CarpCodec.hex4(carpExpected) + ")";
            boolean ipBad = ipSeen != ipExpected;
            boolean carpBad = carpSeen != carpExpected;
            String what = ipBad && carpBad ? ip + " and " + carp : ipBad ? ip : carp;
            return what + "; the frame was damaged on the way";
        }
    }

    private final Expect expect;
    // The expectations as the chain compares them, taken apart once.
    private final boolean checkOwnSource;
    private final int ownSource;
    private final int vhid;
    private final boolean checkGroup;
    private final int group;
    private final CarpHmac hmac;
    private final int vip;

    public AdvertChain(Expect expect) {
        this.expect = Objects.requireNonNull(expect, "expect");
        this.checkOwnSource = expect.ownSource().isPresent();
        this.ownSource = expect.ownSource().map(Carp::toInt).orElse(0);
        this.vhid = expect.vhid().orElse(-1);
        this.checkGroup = expect.group().isPresent();
        this.group = expect.group().map(Carp::toInt).orElse(0);
        this.hmac = expect.digest().map(Digest::hmac).orElse(null);
        this.vip = expect.digest().map(d -> Carp.toInt(d.vip())).orElse(0);
    }

    public Expect expect() {
        return expect;
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
            return drop(Guard.TOO_SHORT, 0, n, Carp.FRAME_LEN, null);
        }
        int etherType = u16(b, CarpCodec.ETH_TYPE);
        if (etherType != Carp.ETHERTYPE_IP) {
            Decoded arp = etherType == Carp.ETHERTYPE_ARP ? CarpCodec.decodeArp(b, n) : null;
            return drop(Guard.ETHERTYPE, 0, etherType, Carp.ETHERTYPE_IP, arp);
        }
        int ipVersion = u8(b, IP + IP_VHL) >>> 4;
        if (ipVersion != 4) {
            return drop(Guard.IP_VERSION, 0, ipVersion, 4, null);
        }
        int src = b.getInt(IP + IP_SRC);

        // 2. Our own advert, seen again: the link echoes what we send.
        if (checkOwnSource && src == ownSource) {
            return drop(Guard.OWN_SOURCE, src, 0, 0, null);
        }

        // 3. Only IP protocol 112; a VRRP advert uses it too.
        int proto = u8(b, IP + IP_P);
        if (proto != Carp.IPPROTO_CARP) {
            return drop(Guard.PROTOCOL, src, proto, Carp.IPPROTO_CARP, null);
        }
        int ihl = CarpCodec.ipHeaderLength(b);
        if (ihl < Carp.IP_HEADER_LEN) {
            return drop(Guard.IP_HEADER_LENGTH, src, ihl, Carp.IP_HEADER_LEN, null);
        }
        if (CarpCodec.isVrrp(b, n, ihl)) {
            return drop(Guard.VRRP, src, 0, 0, CarpCodec.decodeVrrp(b, ihl));
        }

        // 4. The whole CARP header must be there; IP options are tolerated.
        if (n - IP < ihl + Carp.CARP_HEADER_LEN) {
            return drop(Guard.SIZE, src, n, IP + ihl + Carp.CARP_HEADER_LEN, null);
        }
        int carp = IP + ihl;
        int version = u8(b, carp + Carp.OFF_VERSION_TYPE) >>> 4;

        // 5. TTL 255: anything less crossed a router.
        int ttl = u8(b, IP + IP_TTL);
        if (ttl != Carp.CARP_DFLTTL) {
            return version == Carp.CARP_VERSION
                    ? dropAdvert(Guard.TTL, src, ttl, Carp.CARP_DFLTTL, b, ihl)
                    : drop(Guard.TTL, src, ttl, Carp.CARP_DFLTTL, null);
        }

        // 6. Version 2; the type is not checked, as in UCarp.
        if (version != Carp.CARP_VERSION) {
            return drop(Guard.VERSION, src, version, Carp.CARP_VERSION, null);
        }

        // 7. Another virtual host on the same link is routine.
        int advertVhid = u8(b, carp + Carp.OFF_VHID);
        if (vhid >= 0 && advertVhid != vhid) {
            return dropAdvert(Guard.VHID, src, advertVhid, vhid, b, ihl);
        }

        // 8. The IP destination must be our group, with nomcast too.
        int dst = b.getInt(IP + IP_DST);
        if (checkGroup && dst != group) {
            return dropAdvert(Guard.GROUP, src, Integer.toUnsignedLong(dst), Integer.toUnsignedLong(group), b, ihl);
        }

        // 9. Checksums, each on its own (UCarp sums both together, ucarp-spec §3).
        boolean ipOk = InetChecksum.checksum(b, IP, ihl) == 0;
        boolean carpOk = InetChecksum.checksum(b, carp, Carp.CARP_HEADER_LEN) == 0;
        if (!ipOk || !carpOk) {
            long seen = (long) u16(b, IP + IP_SUM) << 16 | u16(b, carp + Carp.OFF_CHECKSUM);
            long expected = (long) (ipOk ? u16(b, IP + IP_SUM) : checksumWithout(b, IP, ihl, IP_SUM)) << 16
                    | (carpOk ? u16(b, carp + Carp.OFF_CHECKSUM) : checksumWithout(b, carp, Carp.CARP_HEADER_LEN, Carp.OFF_CHECKSUM));
            return dropAdvert(Guard.CHECKSUM, src, seen, expected, b, ihl);
        }

        // 10. HMAC over (2, 1, the advert's vhid, our VIP, counter), compared in constant time.
        if (hmac != null) {
            long counter = b.getLong(carp + Carp.OFF_COUNTER);
            if (!hmac.verify(advertVhid, vip, counter, b, carp + Carp.OFF_DIGEST)) {
                return dropAdvert(Guard.DIGEST, src, 0, 0, b, ihl);
            }
        }
        return new Verdict.Accepted(new Decoded.CarpFrame(CarpCodec.carpPacket(b, ihl), true, true, ihl,
                u16(b, IP + CarpCodec.IP_LEN), n));
    }

    /** The checksum the header should carry: computed with its 2-byte field at {@code field} skipped. */
    private static int checksumWithout(ByteBuffer b, int offset, int length, int field) {
        long sum = InetChecksum.sum(b, offset, field, 0);
        sum = InetChecksum.sum(b, offset + field + 2, length - field - 2, sum);
        return InetChecksum.finish(sum);
    }

    private Verdict drop(Guard guard, int src, long seen, long expected, Decoded decoded) {
        return new Verdict.Dropped(guard, expect.vhid(), src, seen, expected, decoded, null, 0);
    }

    /** A drop of a whole CARP version-2 advert: it keeps a copy of the frame to decode if asked. */
    private Verdict dropAdvert(Guard guard, int src, long seen, long expected, ByteBuffer b, int ihl) {
        byte[] copy = new byte[b.remaining()];
        b.get(0, copy);
        return new Verdict.Dropped(guard, expect.vhid(), src, seen, expected, null, copy, ihl);
    }
}
