package dev.karp.carp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What a node puts in every advert it sends of one address family, fixed for its lifetime
 * (ucarp-spec §1.1–1.2, §2.2; carp-v6-unicast §4.1). A dual-stack vhid has two senders, one per
 * family, with the same addresses and HMAC: both adverts carry the same digest.
 *
 * @param source      the IP source, sent verbatim: UCarp's {@code --srcip} for IPv4, the
 *                    interface's link-local address for IPv6; its family is the adverts'
 * @param destination where adverts go unless {@link CarpCodec#encode(CarpSender, Destination, Advert, int, byte[], int)}
 *                    is given another (a unicast peer); of the source's family
 * @param vips        every address of the vhid, part of the HMAC message
 * @param hmac        keyed with the shared password
 * @param auth        which digest goes where (docs/protocol.md, "Strict authentication"): UCarp's in the
 *                    header ({@code ucarp}); UCarp's in the header and the strict one appended ({@code migrate});
 *                    the strict one in the header ({@code strict})
 */
public record CarpSender(InetAddress source, Destination destination, VipAddresses vips, CarpHmac hmac, AuthMode auth) {
    public CarpSender {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(vips, "vips");
        Objects.requireNonNull(hmac, "hmac");
        if (!(source instanceof Inet4Address) && !(source instanceof Inet6Address)) {
            throw new IllegalArgumentException("advert source " + source + " is neither IPv4 nor IPv6");
        }
        checkFamily(source, destination);
    }

    /** A sender of UCarp-authenticated adverts ({@code --auth ucarp}). */
    public CarpSender(InetAddress source, Destination destination, VipAddresses vips, CarpHmac hmac) {
        this(source, destination, vips, hmac, AuthMode.UCARP);
    }

    /** The same sender authenticating as {@code mode} says. */
    public CarpSender withAuth(AuthMode mode) {
        return new CarpSender(source, destination, vips, hmac, mode);
    }

    /** UCarp's sender: IPv4 from {@code source} to {@code group}, at broadcast with {@code nomcast}. */
    public CarpSender(Inet4Address source, Inet4Address group, boolean nomcast, VipAddresses vips, CarpHmac hmac) {
        this(source, Destination.ipv4(group, nomcast), vips, hmac);
    }

    /** The same sender with another destination, e.g. a unicast peer. */
    public CarpSender to(Destination other) {
        return new CarpSender(source, other, vips, hmac, auth);
    }

    /** True when the adverts are IPv6. */
    public boolean isIpv6() {
        return source instanceof Inet6Address;
    }

    /**
     * The length of one advert frame: {@value Carp#FRAME_LEN} over IPv4, {@value Carp#FRAME_LEN_IPV6} over IPv6;
     * {@value Carp#DIGEST_LEN} more with {@code --auth migrate}, whose strict digest follows the CARP header.
     */
    public int frameLength() {
        return (isIpv6() ? Carp.FRAME_LEN_IPV6 : Carp.FRAME_LEN) + (auth == AuthMode.MIGRATE ? Carp.DIGEST_LEN : 0);
    }

    static void checkFamily(InetAddress source, Destination destination) {
        if ((source instanceof Inet6Address) != destination.isIpv6()) {
            throw new IllegalArgumentException("advert source " + VipAddresses.text(source) + " and destination "
                    + VipAddresses.text(destination.ip()) + " are of different address families (expected: both IPv4 or both IPv6)");
        }
    }
}
