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
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

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
 * <p>IPv6 adverts (carp-v6-unicast §4.2) run the same chain: ethertype 0x86dd, IP version 6, next
 * header 112 directly after the fixed 40-byte header (extension headers are not accepted), hop
 * limit 255 (dropped as {@link DropReason#BAD_TTL} otherwise), and only the CARP checksum, over
 * the 36 CARP bytes without a pseudo-header: IPv6 has no header checksum. VRRP over IPv6 is not
 * recognised: a VRRPv3 advert is dropped as a bad CARP version.
 *
 * <p>Where karp departs from UCarp's order or checks, and why:
 * <ul>
 * <li>Frames that are neither IPv4 nor IPv6 are dropped as {@link DropReason#NOT_IPV4} before the
 *     source check; UCarp's BPF filter {@code proto 112} never passes them. An ARP frame is decoded
 *     on the way, for sniff.</li>
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
 * neither on a routine drop, pays for neither; {@link AdvertFilter#checkLean} gets bare drops, the reason alone,
 * which allocates nothing at all. Frames are only read, never modified, and the
 * buffer's position does not move. Immutable and safe to share between threads.
 */
public final class AdvertChain {

    /** Expects nothing: what {@link CarpCodec#decode} runs. */
    public static final AdvertChain ANY = new AdvertChain(Expect.NOTHING);

    /**
     * What a receiver expects of an advert; each absent (empty) part is a check skipped.
     *
     * @param ownSources   our own source addresses, either family (the IPv4 {@code --srcip}, the
     *                     interface's IPv6 link-local): adverts from them are our own, looped back (step 2)
     * @param vhid         our vhid (step 7)
     * @param destinations the IP destinations an advert may have, either family: our groups (the
     *                     IPv4 destination also with nomcast), later our own unicast addresses. An
     *                     advert to any other, of either family, is dropped (step 8)
     * @param digest       our password and addresses, which the HMAC must match (step 10)
     */
    public record Expect(Set<InetAddress> ownSources, OptionalInt vhid, Set<InetAddress> destinations,
            Optional<Digest> digest) {
        /** Nothing expected: only the checks that need no configuration run. */
        public static final Expect NOTHING = new Expect(Set.of(), OptionalInt.empty(), Set.of(), Optional.empty());

        public Expect {
            ownSources = Set.copyOf(ownSources);
            Objects.requireNonNull(vhid, "vhid");
            vhid.ifPresent(Carp::checkVhid);
            destinations = Set.copyOf(destinations);
            Objects.requireNonNull(digest, "digest");
        }

        /** Everything a daemon expects: every check runs. */
        public static Expect all(Set<InetAddress> ownSources, int vhid, Set<InetAddress> destinations, VipAddresses vips,
                CarpHmac hmac) {
            return all(ownSources, vhid, destinations, vips, hmac, AuthMode.UCARP);
        }

        /** Everything a daemon expects, authenticated as {@code auth} says. */
        public static Expect all(Set<InetAddress> ownSources, int vhid, Set<InetAddress> destinations, VipAddresses vips,
                CarpHmac hmac, AuthMode auth) {
            return new Expect(ownSources, OptionalInt.of(vhid), destinations, Optional.of(new Digest(hmac, vips, auth)));
        }

        /** Only the HMAC, with this password and these addresses. */
        public static Expect digestOnly(CarpHmac hmac, VipAddresses vips) {
            return digestOnly(hmac, vips, AuthMode.UCARP);
        }

        /** Only the HMAC, with this password and these addresses, authenticated as {@code auth} says. */
        public static Expect digestOnly(CarpHmac hmac, VipAddresses vips, AuthMode auth) {
            return new Expect(Set.of(), OptionalInt.empty(), Set.of(), Optional.of(new Digest(hmac, vips, auth)));
        }
    }

    /**
     * The HMAC's key and the addresses it covers (ucarp-spec §2.2, carp-v6-unicast §2.2), and which digests are
     * accepted: UCarp's ({@code ucarp}); a strict one in the header or after it, or else UCarp's ({@code migrate});
     * a strict one in the header or after it ({@code strict}).
     */
    public record Digest(CarpHmac hmac, VipAddresses vips, AuthMode auth) {
        public Digest {
            Objects.requireNonNull(hmac, "hmac");
            Objects.requireNonNull(vips, "vips");
            Objects.requireNonNull(auth, "auth");
        }

        public Digest(CarpHmac hmac, VipAddresses vips) {
            this(hmac, vips, AuthMode.UCARP);
        }
    }

    /** The outcome of {@link #check}. */
    public sealed interface Verdict {
        /**
         * What the chain decoded: the advert when accepted; for a drop, the CARP, VRRP or ARP frame
         * when decoding got that far, else a {@link Decoded.Rejected} with the drop's reason and detail.
         */
        Decoded decoded();

        /**
         * A valid advert, to be handed to the election.
         *
         * @param strict its strict digest verified (docs/protocol.md, "Strict authentication"): advbase, advskew,
         *               source and counter are authentic, and the counter is subject to the replay check
         */
        record Accepted(Decoded.CarpFrame frame, boolean strict) implements Verdict {
            public Accepted {
                Objects.requireNonNull(frame, "frame");
            }

            /** An advert authenticated UCarp's way. */
            public Accepted(Decoded.CarpFrame frame) {
                this(frame, false);
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
            private final Expect expect;
            /** The IPv4 source; unused when {@link #source6} is set. */
            private final int source;
            /** The 16 bytes of an IPv6 source, or null for IPv4 (and for frames without a source). */
            private final byte[] source6;
            private final long seen;
            private final long expected;
            /** A VRRP or ARP frame decoded on the way, or null. */
            private final Decoded decoded;
            /** A copy of a frame holding a CARP version-2 advert, decoded when asked for; or null. */
            private final byte[] advert;
            private final int ipHeaderLength;

            Dropped(Guard guard, Expect expect, int source, byte[] source6, long seen, long expected, Decoded decoded,
                    byte[] advert, int ipHeaderLength) {
                this.guard = guard;
                this.expect = expect;
                this.source = source;
                this.source6 = source6;
                this.seen = seen;
                this.expected = expected;
                this.decoded = decoded;
                this.advert = advert;
                this.ipHeaderLength = ipHeaderLength;
            }

            public DropReason reason() {
                return guard.reason;
            }

            /** A drop of the lean check: its reason alone; the frame must be described again for the words. */
            public boolean bare() {
                return this == BARE[guard.ordinal()];
            }

            /** The IP source, when the frame got as far as having one. */
            /**
             * This drop of our own source address as {@link DropReason#SPOOFED_SOURCE}: the frame is not one of
             * ours. {@code ethernetSource} is the frame's, for the message.
             */
            Dropped spoofed(MacAddress ethernetSource) {
                return new Dropped(Guard.SPOOFED_SOURCE, expect, source, source6, ethernetSource.value(), 0, decoded,
                        advert, ipHeaderLength);
            }

            public Optional<InetAddress> source() {
                return guard.hasSource ? Optional.of(sourceAddress()) : Optional.empty();
            }

            private InetAddress sourceAddress() {
                return source6 != null ? Carp.ipv6(source6) : Carp.ipv4(source);
            }

            /**
             * What was wrong, seen and expected, with a hint where one helps, e.g. {@code bad TTL 64
             * (expected: 255); CARP nodes must share one link, with no router between them}.
             */
            public String detail() {
                return guard.detail(this);
            }

            /**
             * The log line: {@code vhid 7: dropped advert from 10.200.0.11: } and the {@link #detail()};
             * without an expected vhid it starts at {@code dropped}.
             */
            public String message() {
                String what = guard.reason == DropReason.NOT_CARP ? "packet" : "advert";
                String from = guard.hasSource ? what + " from " + VipAddresses.text(sourceAddress()) : "frame";
                OptionalInt vhid = expect.vhid();
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

            private boolean ipv6() {
                return source6 != null;
            }

            /** The IP destination of the kept advert. */
            private InetAddress destination() {
                ByteBuffer b = ByteBuffer.wrap(advert);
                if (u16(b, CarpCodec.ETH_TYPE) == Carp.ETHERTYPE_IPV6) {
                    byte[] d = new byte[16];
                    b.get(IP + CarpCodec.IP6_DST, d);
                    return Carp.ipv6(d);
                }
                return Carp.ipv4(b.getInt(IP + IP_DST));
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Dropped d && guard == d.guard && expect.equals(d.expect) && source == d.source
                        && Arrays.equals(source6, d.source6) && seen == d.seen && expected == d.expected
                        && Objects.equals(decoded, d.decoded) && Arrays.equals(advert, d.advert)
                        && ipHeaderLength == d.ipHeaderLength;
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
     * share a reason (two ways of not being IP, two bogus sizes, TTL and hop limit).
     */
    enum Guard {
        TOO_SHORT(DropReason.TOO_SHORT, false),
        ETHERTYPE(DropReason.NOT_IPV4, false),
        IP_VERSION(DropReason.NOT_IPV4, false),
        OWN_SOURCE(DropReason.OWN_SOURCE, true),
        SPOOFED_SOURCE(DropReason.SPOOFED_SOURCE, true),
        PROTOCOL(DropReason.NOT_CARP, true),
        IP_HEADER_LENGTH(DropReason.BOGUS_SIZE, true),
        VRRP(DropReason.VRRP, true),
        SIZE(DropReason.BOGUS_SIZE, true),
        TTL(DropReason.BAD_TTL, true),
        VERSION(DropReason.BAD_VERSION, true),
        VHID(DropReason.OTHER_VHID, true),
        GROUP(DropReason.OTHER_GROUP, true),
        CHECKSUM(DropReason.BAD_CHECKSUM, true),
        DIGEST(DropReason.BAD_DIGEST, true),
        FORGED(DropReason.FORGED, true),
        /** Not run by the chain, which keeps no state: {@link AdvertFilter}'s replay window. */
        REPLAYED(DropReason.REPLAYED, true);

        final DropReason reason;
        final boolean hasSource;

        Guard(DropReason reason, boolean hasSource) {
            this.reason = reason;
            this.hasSource = hasSource;
        }

        String detail(Verdict.Dropped d) {
            long seen = d.seen;
            long expected = d.expected;
            return switch (this) {
                case TOO_SHORT -> "short frame: " + seen + " bytes (expected: " + expected + ")";
                case ETHERTYPE -> "not IP: ethertype " + CarpCodec.hex4((int) seen) + " (expected: "
                        + CarpCodec.hex4(Carp.ETHERTYPE_IP) + " or " + CarpCodec.hex4(Carp.ETHERTYPE_IPV6) + ")";
                case IP_VERSION -> "not IPv" + expected + ": IP version " + seen + " (expected: " + expected + ")";
                case OWN_SOURCE -> d.ipv6()
                        ? "the source is our own link-local address (our advert looped back, or another node uses the same address)"
                        : "the source is our own --srcip (our advert looped back, or another node uses the same address)";
                case SPOOFED_SOURCE -> "the source is our own " + (d.ipv6() ? "link-local address" : "--srcip")
                        + " but the frame is none of our adverts (Ethernet source " + new MacAddress(seen)
                        + "): another host sends adverts in our name";
                case PROTOCOL -> d.ipv6()
                        ? "IPv6 next header " + seen + " (expected: " + expected + " directly after the fixed header)"
                        : "IP protocol " + seen + " (expected: " + expected + ")";
                case IP_HEADER_LENGTH -> "bogus IP header length " + seen + " (expected: 20..60)";
                case VRRP -> vrrpDetail(d.decoded);
                case SIZE -> "short frame: " + seen + " bytes (expected: " + expected
                        + (expected == Carp.FRAME_LEN || d.ipv6() ? ")"
                                : " with a " + (expected - IP - Carp.CARP_HEADER_LEN) + "-byte IP header)");
                case TTL -> (d.ipv6() ? "bad hop limit " : "bad TTL ") + seen + " (expected: " + expected
                        + "); CARP nodes must share one link, with no router between them";
                case VERSION -> "bad CARP version " + seen + " (expected: " + expected + ")";
                case VHID -> "vhid " + seen + " (expected: " + expected + "); another virtual host shares this link";
                case GROUP -> "destination " + VipAddresses.text(d.destination()) + " (expected: "
                        + d.expect.destinations().stream().map(VipAddresses::text).sorted().collect(Collectors.joining(" or "))
                        + "); check the multicast group on both nodes";
                case CHECKSUM -> checksumDetail(seen, expected);
                case DIGEST -> "bad HMAC; check --pass, --vhid and --addr on both nodes";
                case FORGED -> seen == FORGED_UCARP
                        ? "forged: no valid strict HMAC (it is a valid --auth ucarp advert: its sender runs --auth ucarp;"
                                + " move every node to --auth migrate before any to --auth strict, docs/operations.md)"
                        : "forged: bad strict HMAC; the advert was altered or forged, or --pass, --vhid or --addr"
                                + " differ between nodes";
                case REPLAYED -> "replayed: counter " + Long.toUnsignedString(seen)
                        + (expected == REPLAY_STALE ? " is too far behind this node's clock for a first advert"
                                + " (a replay, or the sender's clock is behind: check NTP on both nodes)"
                                : " is not above the last one accepted from this source, "
                                        + Long.toUnsignedString(expected) + ", nor a new one inside its window"
                                        + " (a replay of a captured advert)");
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
    private final int[] ownSources4;
    /** Pairs of longs: the high and low 8 bytes of each IPv6 address. */
    private final long[] ownSources6;
    private final int vhid;
    private final boolean checkDestination;
    private final int[] destinations4;
    private final long[] destinations6;
    private final CarpHmac hmac;
    private final VipAddresses vips;
    private final AuthMode auth;

    /**
     * One drop per guard with nothing but its reason, for {@link #checkLean}; marked by {@link Verdict.Dropped#bare()}
     * (its message names none of the frame's numbers: describe the frame again for those).
     */
    private static final Verdict.Dropped[] BARE = java.util.Arrays.stream(Guard.values())
            .map(g -> new Verdict.Dropped(g, Expect.NOTHING, 0, null, 0, 0, null, null, 0))
            .toArray(Verdict.Dropped[]::new);

    /** {@code seen} of a {@link Guard#FORGED} drop whose UCarp digest verifies. */
    static final long FORGED_UCARP = 1;
    /** {@code expected} of a {@link Guard#REPLAYED} drop of a first advert whose counter is stale. */
    static final long REPLAY_STALE = -1;

    public AdvertChain(Expect expect) {
        this.expect = Objects.requireNonNull(expect, "expect");
        this.ownSources4 = ipv4s(expect.ownSources());
        this.ownSources6 = ipv6s(expect.ownSources());
        this.vhid = expect.vhid().orElse(-1);
        this.checkDestination = !expect.destinations().isEmpty();
        this.destinations4 = ipv4s(expect.destinations());
        this.destinations6 = ipv6s(expect.destinations());
        this.hmac = expect.digest().map(Digest::hmac).orElse(null);
        this.vips = expect.digest().map(Digest::vips).orElse(null);
        this.auth = expect.digest().map(Digest::auth).orElse(AuthMode.UCARP);
    }

    private static int[] ipv4s(Set<InetAddress> addresses) {
        return addresses.stream().filter(Inet4Address.class::isInstance).mapToInt(a -> Carp.toInt((Inet4Address) a)).toArray();
    }

    private static long[] ipv6s(Set<InetAddress> addresses) {
        return addresses.stream().filter(Inet6Address.class::isInstance).map(a -> ByteBuffer.wrap(a.getAddress()))
                .flatMapToLong(b -> LongStream.of(b.getLong(0), b.getLong(8))).toArray();
    }

    private static boolean contains(int[] set, int value) {
        for (int v : set) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(long[] pairs, long hi, long lo) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] == hi && pairs[i + 1] == lo) {
                return true;
            }
        }
        return false;
    }

    public Expect expect() {
        return expect;
    }

    /**
     * Validates one received Ethernet frame ({@code frame.remaining()} bytes from its position,
     * which does not move). Never throws.
     */
    public Verdict check(ByteBuffer frame) {
        return run(frame, false);
    }

    /**
     * As {@link #check}, but a drop is a bare one ({@link Verdict.Dropped#bare()}: its reason, no numbers, no copy):
     * it allocates nothing for a frame it drops (a daemon under a flood of invalid frames, issue 16), and an accepted
     * advert is decoded as by {@link #check}, in the same pass. Never throws.
     */
    Verdict checkLean(ByteBuffer frame) {
        return run(frame, true);
    }

    /** The bare drop of {@code guard}, shared. */
    static Verdict.Dropped bare(Guard guard) {
        return BARE[guard.ordinal()];
    }

    /**
     * The chain. {@code lean}: for {@link #checkLean}, every drop is a bare one of {@link #BARE}, so a drop copies,
     * decodes and allocates nothing; an accept is built either way.
     */
    private Verdict run(ByteBuffer frame, boolean lean) {
        // A frame at position 0 in network order needs no slice: the checks read at absolute offsets.
        ByteBuffer b = frame.position() == 0 && frame.order() == ByteOrder.BIG_ENDIAN ? frame : frame.slice();
        int n = b.remaining();

        // 1. Captured length must be > 34 (Ethernet + IPv4 header).
        if (n <= CarpCodec.MIN_IP_FRAME) {
            return drop(lean, Guard.TOO_SHORT, 0, n, Carp.FRAME_LEN, null);
        }
        int etherType = u16(b, CarpCodec.ETH_TYPE);
        if (etherType == Carp.ETHERTYPE_IPV6) {
            return checkIpv6(b, n, lean);
        }
        if (etherType != Carp.ETHERTYPE_IP) {
            Decoded arp = etherType == Carp.ETHERTYPE_ARP && !lean ? CarpCodec.decodeArp(b, n) : null;
            return drop(lean, Guard.ETHERTYPE, 0, etherType, Carp.ETHERTYPE_IP, arp);
        }
        int ipVersion = u8(b, IP + IP_VHL) >>> 4;
        if (ipVersion != 4) {
            return drop(lean, Guard.IP_VERSION, 0, ipVersion, 4, null);
        }
        int src = b.getInt(IP + IP_SRC);

        // 2. Our own advert, seen again: the link echoes what we send.
        if (contains(ownSources4, src)) {
            return drop(lean, Guard.OWN_SOURCE, src, 0, 0, null);
        }

        // 3. Only IP protocol 112; a VRRP advert uses it too.
        int proto = u8(b, IP + IP_P);
        if (proto != Carp.IPPROTO_CARP) {
            return drop(lean, Guard.PROTOCOL, src, proto, Carp.IPPROTO_CARP, null);
        }
        int ihl = CarpCodec.ipHeaderLength(b);
        if (ihl < Carp.IP_HEADER_LEN) {
            return drop(lean, Guard.IP_HEADER_LENGTH, src, ihl, Carp.IP_HEADER_LEN, null);
        }
        if (CarpCodec.isVrrp(b, n, ihl)) {
            return drop(lean, Guard.VRRP, src, 0, 0, lean ? null : CarpCodec.decodeVrrp(b, ihl));
        }

        // 4. The whole CARP header must be there; IP options are tolerated.
        if (n - IP < ihl + Carp.CARP_HEADER_LEN) {
            return drop(lean, Guard.SIZE, src, n, IP + ihl + Carp.CARP_HEADER_LEN, null);
        }
        int carp = IP + ihl;
        int version = u8(b, carp + Carp.OFF_VERSION_TYPE) >>> 4;

        // 5. TTL 255: anything less crossed a router.
        int ttl = u8(b, IP + IP_TTL);
        if (ttl != Carp.CARP_DFLTTL) {
            return version == Carp.CARP_VERSION
                    ? dropAdvert(lean, Guard.TTL, src, null, ttl, Carp.CARP_DFLTTL, b, ihl)
                    : drop(lean, Guard.TTL, src, ttl, Carp.CARP_DFLTTL, null);
        }

        // 6. Version 2; the type is not checked, as in UCarp.
        if (version != Carp.CARP_VERSION) {
            return drop(lean, Guard.VERSION, src, version, Carp.CARP_VERSION, null);
        }

        // 7. Another virtual host on the same link is routine.
        int advertVhid = u8(b, carp + Carp.OFF_VHID);
        if (vhid >= 0 && advertVhid != vhid) {
            return dropAdvert(lean, Guard.VHID, src, null, advertVhid, vhid, b, ihl);
        }

        // 8. The IP destination must be ours (the group, with nomcast too).
        if (checkDestination && !contains(destinations4, b.getInt(IP + IP_DST))) {
            return dropAdvert(lean, Guard.GROUP, src, null, 0, 0, b, ihl);
        }

        // 9. Checksums, each on its own (UCarp sums both together, ucarp-spec §3).
        boolean ipOk = InetChecksum.checksum(b, IP, ihl) == 0;
        boolean carpOk = InetChecksum.checksum(b, carp, Carp.CARP_HEADER_LEN) == 0;
        if (!ipOk || !carpOk) {
            long seen = (long) u16(b, IP + IP_SUM) << 16 | u16(b, carp + Carp.OFF_CHECKSUM);
            long expected = (long) (ipOk ? u16(b, IP + IP_SUM) : checksumWithout(b, IP, ihl, IP_SUM)) << 16
                    | (carpOk ? u16(b, carp + Carp.OFF_CHECKSUM) : checksumWithout(b, carp, Carp.CARP_HEADER_LEN, Carp.OFF_CHECKSUM));
            return dropAdvert(lean, Guard.CHECKSUM, src, null, seen, expected, b, ihl);
        }

        // 10. HMAC over (2, 1, the advert's vhid, our VIPs, counter), compared in constant time; or the strict one.
        boolean strict = false;
        if (hmac != null) {
            int outcome = authenticate(b, carp, IP + IP_SRC, 4, advertVhid, u16(b, IP + CarpCodec.IP_LEN) - ihl, n);
            if (outcome >= AUTH_DIGEST) {
                return dropAdvert(lean, outcome == AUTH_DIGEST ? Guard.DIGEST : Guard.FORGED, src, null,
                        outcome == AUTH_FORGED_UCARP ? FORGED_UCARP : 0, 0, b, ihl);
            }
            strict = outcome == AUTH_STRICT;
        }
        return new Verdict.Accepted(new Decoded.CarpFrame(CarpCodec.carpPacket(b, ihl), true, true, ihl,
                u16(b, IP + CarpCodec.IP_LEN), n), strict);
    }

    /** The chain for an IPv6 frame (carp-v6-unicast §4.2), step by step as for IPv4. */
    private Verdict checkIpv6(ByteBuffer b, int n, boolean lean) {
        int hl = Carp.IPV6_HEADER_LEN;
        if (n < IP + hl) {
            return drop(lean, Guard.TOO_SHORT, 0, n, Carp.FRAME_LEN_IPV6, null);
        }
        int ipVersion = u8(b, IP) >>> 4;
        if (ipVersion != 6) {
            return drop(lean, Guard.IP_VERSION, 0, ipVersion, 6, null);
        }
        long srcHi = b.getLong(IP + CarpCodec.IP6_SRC);
        long srcLo = b.getLong(IP + CarpCodec.IP6_SRC + 8);

        // 2. Our own advert, seen again.
        if (contains(ownSources6, srcHi, srcLo)) {
            return drop6(lean, Guard.OWN_SOURCE, b, 0, 0);
        }

        // 3. Next header 112 right after the fixed header.
        int next = u8(b, IP + CarpCodec.IP6_NXT);
        if (next != Carp.IPPROTO_CARP) {
            return drop6(lean, Guard.PROTOCOL, b, next, Carp.IPPROTO_CARP);
        }

        // 4. The whole CARP header must be there.
        if (n < IP + hl + Carp.CARP_HEADER_LEN) {
            return drop6(lean, Guard.SIZE, b, n, Carp.FRAME_LEN_IPV6);
        }
        int carp = IP + hl;
        int version = u8(b, carp + Carp.OFF_VERSION_TYPE) >>> 4;

        // 5. Hop limit 255: anything less crossed a router.
        int hopLimit = u8(b, IP + CarpCodec.IP6_HLIM);
        if (hopLimit != Carp.CARP_DFLTTL) {
            return version == Carp.CARP_VERSION
                    ? dropAdvert(lean, Guard.TTL, 0, lean ? null : source6(b), hopLimit, Carp.CARP_DFLTTL, b, hl)
                    : drop6(lean, Guard.TTL, b, hopLimit, Carp.CARP_DFLTTL);
        }

        // 6. Version 2.
        if (version != Carp.CARP_VERSION) {
            return drop6(lean, Guard.VERSION, b, version, Carp.CARP_VERSION);
        }

        // 7. vhid.
        int advertVhid = u8(b, carp + Carp.OFF_VHID);
        if (vhid >= 0 && advertVhid != vhid) {
            return dropAdvert(lean, Guard.VHID, 0, lean ? null : source6(b), advertVhid, vhid, b, hl);
        }

        // 8. Destination.
        if (checkDestination && !contains(destinations6, b.getLong(IP + CarpCodec.IP6_DST), b.getLong(IP + CarpCodec.IP6_DST + 8))) {
            return dropAdvert(lean, Guard.GROUP, 0, lean ? null : source6(b), 0, 0, b, hl);
        }

        // 9. The CARP checksum alone: no pseudo-header (carp-v6-unicast §3), and IPv6 has no header checksum.
        if (InetChecksum.checksum(b, carp, Carp.CARP_HEADER_LEN) != 0) {
            int stored = u16(b, carp + Carp.OFF_CHECKSUM);
            return dropAdvert(lean, Guard.CHECKSUM, 0, lean ? null : source6(b), stored,
                    checksumWithout(b, carp, Carp.CARP_HEADER_LEN, Carp.OFF_CHECKSUM), b, hl);
        }

        // 10. HMAC, as over IPv4: UCarp's covers no IP address of the header, the strict one the source.
        boolean strict = false;
        if (hmac != null) {
            int outcome = authenticate(b, carp, IP + CarpCodec.IP6_SRC, 16, advertVhid, u16(b, IP + CarpCodec.IP6_PLEN), n);
            if (outcome >= AUTH_DIGEST) {
                return dropAdvert(lean, outcome == AUTH_DIGEST ? Guard.DIGEST : Guard.FORGED, 0,
                        lean ? null : source6(b),
                        outcome == AUTH_FORGED_UCARP ? FORGED_UCARP : 0, 0, b, hl);
            }
            strict = outcome == AUTH_STRICT;
        }
        return new Verdict.Accepted(new Decoded.CarpFrame(CarpCodec.carpPacket(b, hl), true, true, hl,
                hl + u16(b, IP + CarpCodec.IP6_PLEN), n), strict);
    }

    /**
     * Step 10 as {@link #auth} says (docs/protocol.md, "Strict authentication"): one of the {@code AUTH_}
     * outcomes, a valid UCarp or strict digest or why the advert is dropped. A strict
     * digest is looked for in the header's HMAC field and, when the IP payload says so, in the 20 bytes after the
     * CARP header ({@code --auth migrate}'s frames).
     *
     * @param payload the IP payload length the header claims
     */
    private int authenticate(ByteBuffer b, int carp, int source, int sourceLength, int advertVhid, int payload, int n) {
        long counter = b.getLong(carp + Carp.OFF_COUNTER);
        if (auth == AuthMode.UCARP) {
            return hmac.verify(advertVhid, vips, counter, b, carp + Carp.OFF_DIGEST) ? AUTH_UCARP : AUTH_DIGEST;
        }
        int trailer = carp + Carp.CARP_HEADER_LEN;
        boolean hasTrailer = payload >= Carp.CARP_HEADER_LEN + Carp.DIGEST_LEN && n >= trailer + Carp.DIGEST_LEN;
        if (hmac.verifyStrict(b, carp, source, sourceLength, vips, carp + Carp.OFF_DIGEST)) {
            return AUTH_STRICT;
        }
        if (hasTrailer && hmac.verifyStrict(b, carp, source, sourceLength, vips, trailer)) {
            return AUTH_STRICT;
        }
        boolean ucarp = hmac.verify(advertVhid, vips, counter, b, carp + Carp.OFF_DIGEST);
        if (auth == AuthMode.MIGRATE) {
            // A strict digest that does not verify is an altered migrate advert: its UCarp digest proves nothing.
            return hasTrailer ? AUTH_FORGED : ucarp ? AUTH_UCARP : AUTH_DIGEST;
        }
        return ucarp ? AUTH_FORGED_UCARP : AUTH_FORGED;
    }

    private static final int AUTH_UCARP = 0;
    private static final int AUTH_STRICT = 1;
    private static final int AUTH_DIGEST = 2;
    private static final int AUTH_FORGED = 3;
    private static final int AUTH_FORGED_UCARP = 4;

    private static byte[] source6(ByteBuffer b) {
        byte[] s = new byte[16];
        b.get(IP + CarpCodec.IP6_SRC, s);
        return s;
    }

    /** The checksum the header should carry: computed with its 2-byte field at {@code field} skipped. */
    private static int checksumWithout(ByteBuffer b, int offset, int length, int field) {
        long sum = InetChecksum.sum(b, offset, field, 0);
        sum = InetChecksum.sum(b, offset + field + 2, length - field - 2, sum);
        return InetChecksum.finish(sum);
    }

    private Verdict drop(boolean lean, Guard guard, int src, long seen, long expected, Decoded decoded) {
        if (lean) {
            return BARE[guard.ordinal()];
        }
        return new Verdict.Dropped(guard, expect, src, null, seen, expected, decoded, null, 0);
    }

    private Verdict drop6(boolean lean, Guard guard, ByteBuffer b, long seen, long expected) {
        if (lean) {
            return BARE[guard.ordinal()];
        }
        return new Verdict.Dropped(guard, expect, 0, source6(b), seen, expected, null, null, 0);
    }

    /**
     * The drop of an accepted strict advert that {@link AdvertFilter}'s replay window refuses: {@code counter} is
     * not above {@code last}, or {@code last} is {@link #REPLAY_STALE} for a first advert too far behind the clock.
     */
    Verdict.Dropped replayed(ByteBuffer frame, Verdict.Accepted accepted, long last) {
        ByteBuffer b = frame.slice();
        InetAddress src = accepted.packet().ipSrc();
        int src4 = src instanceof Inet4Address a4 ? Carp.toInt(a4) : 0;
        byte[] src6 = src instanceof Inet6Address ? src.getAddress() : null;
        return (Verdict.Dropped) dropAdvert(false, Guard.REPLAYED, src4, src6, accepted.packet().counter(), last, b,
                accepted.frame().ipHeaderLength());
    }

    /** A drop of a whole CARP version-2 advert: it keeps a copy of the frame to decode if asked. */
    private Verdict dropAdvert(boolean lean, Guard guard, int src, byte[] src6, long seen, long expected, ByteBuffer b,
            int ihl) {
        if (lean) {
            return BARE[guard.ordinal()];
        }
        byte[] copy = new byte[b.remaining()];
        b.get(0, copy);
        return new Verdict.Dropped(guard, expect, src, src6, seen, expected, null, copy, ihl);
    }
}
