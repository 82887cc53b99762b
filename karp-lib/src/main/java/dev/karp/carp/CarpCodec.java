package dev.karp.carp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The only code that reads or writes CARP frames. Pure: no I/O, no clock, no shared state.
 *
 * <p>{@link #decode} reads {@code frame.remaining()} bytes from {@code frame.position()} and
 * leaves the buffer's position, limit and byte order alone.
 *
 * <h2>CARP or VRRP?</h2>
 * Both use IP protocol 112 and group 224.0.0.18, and a CARP advert and a VRRPv2 advert both
 * start with {@code 0x21}. {@link #isVrrp} decides, in this order (P = the bytes after the IP
 * header, v = the high nibble of P[0]):
 * <ol>
 * <li>CARP if v = 2, P has at least 36 bytes, P[3] (authlen) = 7 and the CARP checksum over
 *     those 36 bytes is valid: an intact CARP advert.</li>
 * <li>VRRP if P is a self-consistent VRRP advert (below) whose VRRP checksum is valid.</li>
 * <li>CARP if P[3] = 7 and the CARP checksum over 36 bytes is valid (a CARP header with another
 *     version: reported as a bad CARP version).</li>
 * <li>CARP if v = 2, P[3] = 7 and the IP payload is 36 bytes: a damaged CARP advert.</li>
 * <li>VRRP if P is a self-consistent VRRP advert with a bad checksum: a damaged VRRP advert.</li>
 * <li>Otherwise CARP, so that the CARP checks name what is wrong.</li>
 * </ol>
 * Self-consistent VRRP: v is 2 or 3; the address count P[3] is at least 1; the IP payload length
 * is exactly 16 + 4·count (v2: 8-byte header, addresses, 8 bytes of authentication data) or
 * 8 + 4·count (v3); all of it was captured; and for v2 the auth type P[4] is 0, 1 or 2.
 * A VRRPv2 advert with 7 addresses and a valid checksum would also need a valid CARP checksum
 * over its first 36 bytes to be taken for CARP (1 in 65536); a VRRPv2 advert with 5 addresses is
 * 36 bytes long but has count 5 where CARP has authlen 7.
 */
public final class CarpCodec {
    // Ethernet header (ucarp-spec §1.1).
    static final int ETH_DST = 0;
    static final int ETH_SRC = 6;
    static final int ETH_TYPE = 12;
    static final int IP = Carp.ETHER_HEADER_LEN;
    // IPv4 header offsets, relative to IP (ucarp-spec §1.2).
    static final int IP_VHL = 0;
    static final int IP_TOS = 1;
    static final int IP_LEN = 2;
    static final int IP_ID = 4;
    static final int IP_OFF = 6;
    static final int IP_TTL = 8;
    static final int IP_P = 9;
    static final int IP_SUM = 10;
    static final int IP_SRC = 12;
    static final int IP_DST = 16;
    // IPv6 header offsets, relative to IP (RFC 8200 §3).
    static final int IP6_VTF = 0;
    static final int IP6_PLEN = 4;
    static final int IP6_NXT = 6;
    static final int IP6_HLIM = 7;
    static final int IP6_SRC = 8;
    static final int IP6_DST = 24;
    /** Ethernet + the fixed IPv4 header; UCarp needs more than this (ucarp-spec §1.6 step 1). */
    static final int MIN_IP_FRAME = IP + Carp.IP_HEADER_LEN;
    static final int ARP_LEN = 28;
    static final int VRRP_V2_FIXED = 16;
    static final int VRRP_V3_FIXED = 8;

    private CarpCodec() {
    }

    /*
     * ucarp-spec §1.3, the CARP header (36 bytes, directly after the IP header):
     *
     * | offset | size | field                                   | UCarp sends                    | UCarp checks on receive          |
     * |--------|------|-----------------------------------------|--------------------------------|----------------------------------|
     * | 0      | 1    | version (high nibble) / type (low)      | 0x21: version 2, type 1        | version must be 2; type not      |
     * | 1      | 1    | vhid                                    | --vhid (1-255)                 | must equal own vhid              |
     * | 2      | 1    | advskew                                 | --advskew (0-255; 240 on send  | used in comparisons              |
     * |        |      |                                         | errors, §4.10)                 |                                  |
     * | 3      | 1    | authlen                                 | 7 (32-bit words of counter+HMAC)| not checked                     |
     * | 4      | 1    | reserved; OpenBSD carp_demote           | 0                              | not checked, ignored             |
     * | 5      | 1    | advbase                                 | --advbase (seconds)            | used in comparisons              |
     * | 6      | 2    | checksum over the 36 bytes (field = 0)  | Internet checksum              | §3                               |
     * | 8      | 8    | counter, big-endian 64-bit unsigned     | §2.4                           | never validated                  |
     * | 16     | 20   | HMAC-SHA1 digest                        | §2                             | must match exactly               |
     */

    /**
     * Decodes one Ethernet frame: runs {@link AdvertChain#ANY}, the receive checks that need no
     * configuration, and keeps what it decoded. Never throws: anything that is not a CARP, VRRP or
     * ARP frame comes back as {@link Decoded.Rejected} with the reason and the words a daemon would
     * drop it with. A CARP advert with wrong checksums or TTL is still decoded, with the checksum
     * verdicts, so it can be shown.
     */
    public static Decoded decode(ByteBuffer frame) {
        return AdvertChain.ANY.check(frame).decoded();
    }

    /** Decodes a frame held in an array. */
    public static Decoded decode(byte[] frame) {
        return decode(ByteBuffer.wrap(frame));
    }

    /**
     * The advert of a frame holding a whole CARP header, with its checksum verdicts; {@code ihl}
     * is the IP header's length (40 over IPv6, which has no header checksum).
     */
    static Decoded.CarpFrame carpFrame(ByteBuffer b, int ihl, int n) {
        boolean carpOk = InetChecksum.checksum(b, IP + ihl, Carp.CARP_HEADER_LEN) == 0;
        if (isIpv6(b)) {
            return new Decoded.CarpFrame(carpPacket(b, ihl), true, carpOk, ihl, ihl + u16(b, IP + IP6_PLEN), n);
        }
        boolean ipOk = InetChecksum.checksum(b, IP, ihl) == 0;
        return new Decoded.CarpFrame(carpPacket(b, ihl), ipOk, carpOk, ihl, u16(b, IP + IP_LEN), n);
    }

    static boolean isIpv6(ByteBuffer b) {
        return u16(b, ETH_TYPE) == Carp.ETHERTYPE_IPV6;
    }

    /**
     * Over IPv6 the packet's {@code tos} is the traffic class and {@code ttl} the hop limit; it has
     * no identification, DF flag or header checksum (0, false, 0).
     */
    static CarpPacket carpPacket(ByteBuffer b, int ihl) {
        int carp = IP + ihl;
        byte[] digest = new byte[Carp.DIGEST_LEN];
        b.get(carp + Carp.OFF_DIGEST, digest);
        int vt = u8(b, carp + Carp.OFF_VERSION_TYPE);
        boolean v6 = isIpv6(b);
        return new CarpPacket(
                MacAddress.of(b, ETH_SRC),
                MacAddress.of(b, ETH_DST),
                v6 ? ipv6(b, IP + IP6_SRC) : Carp.ipv4(b.getInt(IP + IP_SRC)),
                v6 ? ipv6(b, IP + IP6_DST) : Carp.ipv4(b.getInt(IP + IP_DST)),
                v6 ? (u16(b, IP + IP6_VTF) >>> 4) & 0xff : u8(b, IP + IP_TOS),
                v6 ? 0 : u16(b, IP + IP_ID),
                !v6 && (u16(b, IP + IP_OFF) & Carp.IP_DF) != 0,
                u8(b, IP + (v6 ? IP6_HLIM : IP_TTL)),
                v6 ? 0 : u16(b, IP + IP_SUM),
                vt >>> 4,
                vt & 0xf,
                u8(b, carp + Carp.OFF_VHID),
                u8(b, carp + Carp.OFF_ADVSKEW),
                u8(b, carp + Carp.OFF_AUTHLEN),
                u8(b, carp + Carp.OFF_DEMOTE),
                u8(b, carp + Carp.OFF_ADVBASE),
                u16(b, carp + Carp.OFF_CHECKSUM),
                b.getLong(carp + Carp.OFF_COUNTER),
                digest);
    }

    private static Inet6Address ipv6(ByteBuffer b, int offset) {
        byte[] a = new byte[16];
        b.get(offset, a);
        return Carp.ipv6(a);
    }

    /**
     * The CARP-or-VRRP heuristic of the class comment. {@code b} is a slice of {@code n} bytes
     * holding an IPv4 protocol-112 frame with a header of {@code ihl} >= 20 bytes.
     */
    static boolean isVrrp(ByteBuffer b, int n, int ihl) {
        int p = IP + ihl;
        int avail = n - p;
        if (avail < 1) {
            return false;
        }
        int version = u8(b, p) >>> 4;
        boolean carpHeader = avail >= Carp.CARP_HEADER_LEN && u8(b, p + Carp.OFF_AUTHLEN) == Carp.CARP_AUTHLEN
                && InetChecksum.checksum(b, p, Carp.CARP_HEADER_LEN) == 0;
        if (carpHeader && version == Carp.CARP_VERSION) {
            return false;
        }
        int vrrpLen = vrrpLength(b, n, ihl);
        if (vrrpLen > 0 && vrrpChecksumOk(b, ihl, version, vrrpLen)) {
            return true;
        }
        if (carpHeader) {
            return false;
        }
        int ipPayload = u16(b, IP + IP_LEN) - ihl;
        if (version == Carp.CARP_VERSION && ipPayload == Carp.CARP_HEADER_LEN && avail >= Carp.CARP_HEADER_LEN
                && u8(b, p + Carp.OFF_AUTHLEN) == Carp.CARP_AUTHLEN) {
            return false;
        }
        return vrrpLen > 0;
    }

    /** The length of a self-consistent VRRP advert at the IP payload, or -1 (see the class comment). */
    private static int vrrpLength(ByteBuffer b, int n, int ihl) {
        int p = IP + ihl;
        int avail = n - p;
        if (avail < 4) {
            return -1;
        }
        int version = u8(b, p) >>> 4;
        int count = u8(b, p + 3);
        if (count < 1) {
            return -1;
        }
        int len;
        if (version == 2) {
            if (avail < 5 || u8(b, p + 4) > 2) {
                return -1;
            }
            len = VRRP_V2_FIXED + 4 * count;
        } else if (version == 3) {
            len = VRRP_V3_FIXED + 4 * count;
        } else {
            return -1;
        }
        int ipPayload = u16(b, IP + IP_LEN) - ihl;
        return ipPayload == len && avail >= len ? len : -1;
    }

    private static boolean vrrpChecksumOk(ByteBuffer b, int ihl, int version, int vrrpLen) {
        int p = IP + ihl;
        long sum = 0;
        if (version == 3) {
            // RFC 5798 §5.2.8: VRRPv3 over IPv4 includes the pseudo-header (src, dst, 0, proto, length).
            sum = InetChecksum.sum(b, IP + IP_SRC, 8, 0) + Carp.IPPROTO_CARP + vrrpLen;
        }
        return InetChecksum.finish(InetChecksum.sum(b, p, vrrpLen, sum)) == 0;
    }

    static Decoded.VrrpFrame decodeVrrp(ByteBuffer b, int ihl) {
        int p = IP + ihl;
        int version = u8(b, p) >>> 4;
        int count = u8(b, p + 3);
        // Both versions have an 8-byte fixed header before the addresses.
        int addrOff = p + 8;
        List<Inet4Address> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(Carp.ipv4(b.getInt(addrOff + 4 * i)));
        }
        byte[] authData = new byte[0];
        int authType = 0;
        int interval;
        int vrrpLen;
        if (version == 2) {
            authType = u8(b, p + 4);
            interval = u8(b, p + 5);
            authData = new byte[8];
            b.get(addrOff + 4 * count, authData);
            vrrpLen = VRRP_V2_FIXED + 4 * count;
        } else {
            interval = u16(b, p + 4) & 0x0fff;
            vrrpLen = VRRP_V3_FIXED + 4 * count;
        }
        VrrpPacket packet = new VrrpPacket(
                MacAddress.of(b, ETH_SRC),
                MacAddress.of(b, ETH_DST),
                Carp.ipv4(b.getInt(IP + IP_SRC)),
                Carp.ipv4(b.getInt(IP + IP_DST)),
                u8(b, IP + IP_TTL),
                version,
                u8(b, p) & 0xf,
                u8(b, p + 1),
                u8(b, p + 2),
                count,
                authType,
                interval,
                u16(b, p + 6),
                addresses,
                authData);
        boolean ipOk = InetChecksum.checksum(b, IP, ihl) == 0;
        return new Decoded.VrrpFrame(packet, ipOk, vrrpChecksumOk(b, ihl, version, vrrpLen));
    }

    /** The ARP packet of an ARP frame, or null when it is cut short or not Ethernet/IPv4. */
    static Decoded.ArpFrame decodeArp(ByteBuffer b, int n) {
        if (n < IP + ARP_LEN) {
            return null;
        }
        int htype = u16(b, IP);
        int ptype = u16(b, IP + 2);
        int hlen = u8(b, IP + 4);
        int plen = u8(b, IP + 5);
        if (htype != 1 || ptype != Carp.ETHERTYPE_IP || hlen != 6 || plen != 4) {
            return null;
        }
        return new Decoded.ArpFrame(new ArpPacket(
                MacAddress.of(b, ETH_SRC),
                MacAddress.of(b, ETH_DST),
                u16(b, IP + 6),
                MacAddress.of(b, IP + 8),
                Carp.ipv4(b.getInt(IP + 14)),
                MacAddress.of(b, IP + 18),
                Carp.ipv4(b.getInt(IP + 24))));
    }

    static int ipHeaderLength(ByteBuffer b) {
        return (u8(b, IP + IP_VHL) & 0xf) * 4;
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    static String hex4(int v) {
        return String.format("0x%04x", v);
    }

    /**
     * Builds an advert to the sender's destination with the given IP identification: UCarp's
     * 70-byte frame over IPv4 (ucarp-spec §1.1–1.3, §3), or the 90-byte IPv6 frame
     * (carp-v6-unicast §4.1), which has no identification. Re-encoding a captured UCarp advert
     * with its IP id gives the captured bytes.
     */
    public static byte[] encode(CarpSender sender, Advert advert, int ipId) {
        byte[] out = new byte[sender.frameLength()];
        encode(sender, advert, ipId, out, 0);
        return out;
    }

    /** As {@link #encode(CarpSender, Advert, int)} with a random IP id, as UCarp does. */
    public static byte[] encode(CarpSender sender, Advert advert, RandomGenerator random) {
        return encode(sender, advert, random.nextInt(0x10000));
    }

    /** Writes the advert at the buffer's position and advances it by {@link CarpSender#frameLength()}. */
    public static void encode(CarpSender sender, Advert advert, int ipId, ByteBuffer out) {
        if (out.hasArray() && !out.isReadOnly()) {
            int start = out.position();
            encode(sender, advert, ipId, out.array(), out.arrayOffset() + start);
            out.position(start + sender.frameLength());
        } else {
            out.put(encode(sender, advert, ipId));
        }
    }

    /** Writes the advert to the sender's destination into {@code out} at {@code offset}; allocates nothing. */
    public static void encode(CarpSender sender, Advert advert, int ipId, byte[] out, int offset) {
        encode(sender, sender.destination(), advert, ipId, out, offset);
    }

    /**
     * Writes the advert, sent to {@code destination} (e.g. a unicast peer's IP and MAC), into
     * {@code out} at {@code offset}: {@link CarpSender#frameLength()} bytes. The hot path, which
     * allocates nothing itself. Everything but the destination is as in a group advert: TTL (hop
     * limit) 255, the same HMAC (which covers no IP address of the header).
     *
     * @param ipId the IPv4 identification, 0..65535; unused over IPv6
     */
    public static void encode(CarpSender sender, Destination destination, Advert advert, int ipId, byte[] out, int offset) {
        if (ipId < 0 || ipId > 0xffff) {
            throw new IllegalArgumentException("IP id " + ipId + " is out of range (expected: 0..65535)");
        }
        int length = sender.frameLength();
        if (offset < 0 || out.length - offset < length) {
            throw new IllegalArgumentException("no room for a " + length + "-byte frame at offset " + offset
                    + " of a " + out.length + "-byte array");
        }
        CarpSender.checkFamily(sender.source(), destination);
        // --auth migrate: the strict digest follows the CARP header, where UCarp looks no further.
        int trailer = sender.auth() == AuthMode.MIGRATE ? Carp.DIGEST_LEN : 0;
        int o = offset;
        destination.mac().write(out, o + ETH_DST);
        Carp.virtualMac(advert.vhid()).write(out, o + ETH_SRC);

        int ip = o + IP;
        int carp;
        if (sender.isIpv6()) {
            put16(out, o + ETH_TYPE, Carp.ETHERTYPE_IPV6);
            // version 6, traffic class, flow label 0
            put32(out, ip + IP6_VTF, 6 << 28 | Carp.IPV6_TRAFFIC_CLASS << 20);
            put16(out, ip + IP6_PLEN, Carp.CARP_HEADER_LEN + trailer);
            out[ip + IP6_NXT] = (byte) Carp.IPPROTO_CARP;
            out[ip + IP6_HLIM] = (byte) Carp.CARP_DFLTTL;
            writeAddress(sender.source(), out, ip + IP6_SRC);
            writeAddress(destination.ip(), out, ip + IP6_DST);
            carp = ip + Carp.IPV6_HEADER_LEN;
        } else {
            put16(out, o + ETH_TYPE, Carp.ETHERTYPE_IP);
            out[ip + IP_VHL] = 0x45;
            out[ip + IP_TOS] = (byte) Carp.IPTOS_LOWDELAY;
            put16(out, ip + IP_LEN, Carp.IP_TOTAL_LEN + trailer);
            put16(out, ip + IP_ID, ipId);
            put16(out, ip + IP_OFF, Carp.IP_DF);
            out[ip + IP_TTL] = (byte) Carp.CARP_DFLTTL;
            out[ip + IP_P] = (byte) Carp.IPPROTO_CARP;
            put16(out, ip + IP_SUM, 0);
            put32(out, ip + IP_SRC, Carp.toInt((Inet4Address) sender.source()));
            put32(out, ip + IP_DST, Carp.toInt((Inet4Address) destination.ip()));
            carp = ip + Carp.IP_HEADER_LEN;
        }

        out[carp + Carp.OFF_VERSION_TYPE] = (byte) (Carp.CARP_VERSION << 4 | Carp.CARP_ADVERTISEMENT);
        out[carp + Carp.OFF_VHID] = (byte) advert.vhid();
        out[carp + Carp.OFF_ADVSKEW] = (byte) advert.advskew();
        out[carp + Carp.OFF_AUTHLEN] = (byte) Carp.CARP_AUTHLEN;
        out[carp + Carp.OFF_DEMOTE] = 0;
        out[carp + Carp.OFF_ADVBASE] = (byte) advert.advbase();
        put16(out, carp + Carp.OFF_CHECKSUM, 0);
        put64(out, carp + Carp.OFF_COUNTER, advert.counter());
        int source = sender.isIpv6() ? ip + IP6_SRC : ip + IP_SRC;
        int sourceLength = sender.isIpv6() ? 16 : 4;
        switch (sender.auth()) {
            case UCARP -> sender.hmac().digest(advert.vhid(), sender.vips(), advert.counter(), out, carp + Carp.OFF_DIGEST);
            case MIGRATE -> {
                sender.hmac().digest(advert.vhid(), sender.vips(), advert.counter(), out, carp + Carp.OFF_DIGEST);
                sender.hmac().strictDigest(out, carp, source, sourceLength, advert.counter(), sender.vips(), out,
                        carp + Carp.CARP_HEADER_LEN);
            }
            case STRICT -> sender.hmac().strictDigest(out, carp, source, sourceLength, advert.counter(), sender.vips(),
                    out, carp + Carp.OFF_DIGEST);
        }

        // ucarp-spec §3: the CARP checksum covers the finished 36 bytes, and only them, over IPv6
        // too (no pseudo-header, carp-v6-unicast §3). UCarp's IP checksum over 56 bytes equals the
        // standard 20-byte one, because the CARP header then sums to 0xffff.
        put16(out, carp + Carp.OFF_CHECKSUM, InetChecksum.checksum(out, carp, Carp.CARP_HEADER_LEN));
        if (!sender.isIpv6()) {
            put16(out, ip + IP_SUM, InetChecksum.checksum(out, ip, Carp.IP_HEADER_LEN));
        }
    }

    /** The address's bytes as on the wire (an IPv6 scope is not part of them). */
    private static void writeAddress(InetAddress address, byte[] out, int i) {
        byte[] a = address.getAddress();
        System.arraycopy(a, 0, out, i, a.length);
    }

    private static void put16(byte[] out, int i, int v) {
        out[i] = (byte) (v >>> 8);
        out[i + 1] = (byte) v;
    }

    private static void put32(byte[] out, int i, int v) {
        put16(out, i, v >>> 16);
        put16(out, i + 2, v);
    }

    private static void put64(byte[] out, int i, long v) {
        put32(out, i, (int) (v >>> 32));
        put32(out, i + 4, (int) v);
    }
}
