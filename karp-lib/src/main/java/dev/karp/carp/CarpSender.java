package dev.karp.carp;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * What a node puts in every advert it sends, fixed for its lifetime (ucarp-spec §1.1–1.2, §2.2).
 *
 * @param source  the IP source, UCarp's {@code --srcip}, sent verbatim
 * @param group   the IP destination, UCarp's {@code --mcastip} (default {@link Carp#DEFAULT_GROUP})
 * @param nomcast send to Ethernet broadcast instead of the group's multicast MAC; the IP
 *                destination stays the group (cap 07)
 * @param vip     the virtual IP, part of the HMAC message
 * @param hmac    keyed with the shared password
 */
public record CarpSender(Inet4Address source, Inet4Address group, boolean nomcast, Inet4Address vip, CarpHmac hmac) {
    public CarpSender {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(hmac, "hmac");
    }
}
