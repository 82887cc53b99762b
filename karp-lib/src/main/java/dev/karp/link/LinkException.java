package dev.karp.link;

import java.io.IOException;
import dev.karp.net.IpAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

/** Opening or using a {@link Link} failed; the message names the problem and the fix. */
public final class LinkException extends IOException {

    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code interface eth9 not found (available: eth0, lo); check --interface}. */
    public static LinkException interfaceNotFound(String name, List<String> available) {
        return new LinkException(PcapHandles.interfaceNotFound(name, available));
    }

    /** IP_ADD_MEMBERSHIP was refused. */
    public static LinkException multicastJoinFailed(Inet4Address group, String name, String detail) {
        return new LinkException("cannot join multicast group " + group.getHostAddress() + " on " + name + ": "
                + detail + "; check --mcastip, or use --nomcast to send to broadcast");
    }

    /** IPV6_ADD_MEMBERSHIP of ff02::12 was refused: most often IPv6 is off on the interface. */
    public static LinkException multicastJoinFailed(Inet6Address group, String name, String detail) {
        return new LinkException("cannot join multicast group " + IpAddresses.format(group) + " on " + name + ": "
                + detail + "; IPv6 VIPs need IPv6 on " + name + " (sysctl -w net.ipv6.conf." + name
                + ".disable_ipv6=0)");
    }
}
