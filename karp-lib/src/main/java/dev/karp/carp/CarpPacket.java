package dev.karp.carp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Every field of a CARP advert frame as it was on the wire (ucarp-spec §1.1–1.3), including
 * the stored checksums, so that a damaged frame can be shown as it is. Built by
 * {@link CarpCodec#decode}; the digest array is copied in and out.
 *
 * @param ethSrc       Ethernet source; UCarp sends {@code 00:00:5e:00:00:VHID}
 * @param ethDst       Ethernet destination: the group's multicast MAC or broadcast
 * @param ipSrc        the sender's {@code --srcip}; over IPv6 its link-local address
 * @param ipDst        the multicast group (224.0.0.18, ff02::12) or a unicast peer; same family as ipSrc
 * @param tos          IP type of service; UCarp sends 0x10. Over IPv6 the traffic class (0xe0 from FreeBSD and karp)
 * @param ipId         IP identification, random per advert; 0 over IPv6
 * @param dontFragment the IP DF flag; false over IPv6
 * @param ttl          IP TTL or IPv6 hop limit; must be 255
 * @param ipChecksum   the stored IP header checksum; 0 over IPv6, which has none
 * @param version      CARP version (high nibble of byte 0); 2
 * @param type         CARP type (low nibble of byte 0); 1 = advertisement
 * @param vhid         virtual host id, 0..255 on the wire (1..255 configured)
 * @param advskew      skew, in 1/256 s
 * @param authlen      counter + digest length in 32-bit words; 7
 * @param demote       byte 4: OpenBSD's demotion counter, 0 from UCarp
 * @param advbase      base interval in seconds
 * @param carpChecksum the stored CARP checksum
 * @param counter      the 64-bit counter, unsigned (see {@link #counterString()})
 * @param digest       the 20-byte HMAC-SHA1
 */
public record CarpPacket(
        MacAddress ethSrc,
        MacAddress ethDst,
        InetAddress ipSrc,
        InetAddress ipDst,
        int tos,
        int ipId,
        boolean dontFragment,
        int ttl,
        int ipChecksum,
        int version,
        int type,
        int vhid,
        int advskew,
        int authlen,
        int demote,
        int advbase,
        int carpChecksum,
        long counter,
        byte[] digest) {

    public CarpPacket {
        Objects.requireNonNull(ethSrc, "ethSrc");
        Objects.requireNonNull(ethDst, "ethDst");
        Objects.requireNonNull(ipSrc, "ipSrc");
        Objects.requireNonNull(ipDst, "ipDst");
        if ((ipSrc instanceof Inet6Address) != (ipDst instanceof Inet6Address)) {
            throw new IllegalArgumentException("IP source " + ipSrc + " and destination " + ipDst
                    + " are of different address families (expected: both IPv4 or both IPv6)");
        }
        checkRange("tos", tos, 0xff);
        checkRange("ipId", ipId, 0xffff);
        checkRange("ttl", ttl, 0xff);
        checkRange("ipChecksum", ipChecksum, 0xffff);
        checkRange("version", version, 0xf);
        checkRange("type", type, 0xf);
        checkRange("vhid", vhid, 0xff);
        checkRange("advskew", advskew, 0xff);
        checkRange("authlen", authlen, 0xff);
        checkRange("demote", demote, 0xff);
        checkRange("advbase", advbase, 0xff);
        checkRange("carpChecksum", carpChecksum, 0xffff);
        if (digest.length != Carp.DIGEST_LEN) {
            throw new IllegalArgumentException("digest of " + digest.length + " bytes (expected: " + Carp.DIGEST_LEN + ")");
        }
        digest = digest.clone();
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is out of range (expected: 0.." + max + ")");
        }
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** True for an advert over IPv6. */
    public boolean isIpv6() {
        return ipSrc instanceof Inet6Address;
    }

    /** The counter as an unsigned decimal, the way tshark and the vectors show it. */
    public String counterString() {
        return Long.toUnsignedString(counter);
    }

    /** The digest as lower-case hex. */
    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * The interval this advert announces, {@code advbase + advskew/256} s, with the skew truncated
     * to microseconds as UCarp does (ucarp-spec §1.3).
     */
    public Duration interval() {
        return Duration.ofSeconds(advbase).plusNanos(advskew * 1_000_000L / 256 * 1000);
    }

    /** OpenBSD's bow-out: advbase 255 and advskew 255 mean "take over now" (ucarp-spec §4.5, cap 15). */
    public boolean isBowOut() {
        return advbase == Carp.BOW_OUT_ADVBASE && advskew == Carp.BOW_OUT_ADVSKEW;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CarpPacket p
                && ethSrc.equals(p.ethSrc) && ethDst.equals(p.ethDst)
                && ipSrc.equals(p.ipSrc) && ipDst.equals(p.ipDst)
                && tos == p.tos && ipId == p.ipId && dontFragment == p.dontFragment && ttl == p.ttl
                && ipChecksum == p.ipChecksum && version == p.version && type == p.type && vhid == p.vhid
                && advskew == p.advskew && authlen == p.authlen && demote == p.demote && advbase == p.advbase
                && carpChecksum == p.carpChecksum && counter == p.counter && Arrays.equals(digest, p.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipSrc, ipId, vhid, advskew, advbase, counter) * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "CarpPacket[" + ethSrc + " > " + ethDst + ", " + VipAddresses.text(ipSrc) + " > " + VipAddresses.text(ipDst)
                + ", tos=0x" + Integer.toHexString(tos) + ", id=0x" + Integer.toHexString(ipId) + (dontFragment ? ", DF" : "")
                + ", ttl=" + ttl + ", ipsum=0x" + Integer.toHexString(ipChecksum) + ", v" + version + "/t" + type
                + ", vhid=" + vhid + ", advskew=" + advskew + ", authlen=" + authlen + ", demote=" + demote
                + ", advbase=" + advbase + ", carpsum=0x" + Integer.toHexString(carpChecksum)
                + ", counter=" + counterString() + ", digest=" + digestHex() + "]";
    }
}
