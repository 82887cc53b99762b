package dev.karp.link;

import java.io.IOException;
import java.net.Inet4Address;
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
        return new LinkException("interface " + name + " not found (available: " + String.join(", ", available)
                + "); check --interface");
    }

    /** {@code cannot open raw socket on eth0: Operation not permitted; karp needs CAP_NET_RAW and CAP_NET_ADMIN}. */
    public static LinkException permissionDenied(String name, String detail) {
        return new LinkException("cannot open raw socket on " + name + ": " + detail
                + "; karp needs CAP_NET_RAW and CAP_NET_ADMIN");
    }

    /** libpcap could not be loaded at all. */
    public static LinkException libpcapMissing(Throwable cause) {
        return new LinkException("cannot load libpcap (" + cause.getMessage()
                + "); install the Debian package libpcap0.8 (libpcap on other distributions)", cause);
    }

    /** The interface does not carry Ethernet frames (a tun, wireguard or "any" device). */
    public static LinkException notEthernet(String name, String linkType) {
        return new LinkException("interface " + name + " does not carry Ethernet frames (link type " + linkType
                + "); CARP needs an Ethernet interface, check --interface");
    }

    /** IP_ADD_MEMBERSHIP was refused. */
    public static LinkException multicastJoinFailed(Inet4Address group, String name, String detail) {
        return new LinkException("cannot join multicast group " + group.getHostAddress() + " on " + name + ": "
                + detail + "; check --mcastip, or use --nomcast to send to broadcast");
    }
}
