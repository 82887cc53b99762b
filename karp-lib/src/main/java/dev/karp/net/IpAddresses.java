package dev.karp.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals: parsed strictly and without ever asking DNS, printed in their short form. The one place
 * karp turns text into an {@link InetAddress} and back.
 *
 * <p>{@link InetAddress#getByName} resolves anything that is not a literal, and certificates print IPv6
 * uncompressed ({@code fd00:0:0:0:0:0:0:1}), so addresses are compared as {@link InetAddress}, never as text.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    /**
     * Parses {@code a.b.c.d} with each part 0..255 in decimal without leading zeros (UCarp's C parser reads
     * {@code 010} as 8, ucarp-spec §7.15).
     *
     * @throws IllegalArgumentException with a short reason ({@code "is not an IPv4 address ..."}) to put after
     *                                  the text
     */
    public static Inet4Address parseIpv4(String text) {
        if (text.indexOf(':') >= 0) {
            throw new IllegalArgumentException("is not an IPv4 address (karp, like UCarp, supports IPv4 only)");
        }
        return ipv4Literal(text).orElseThrow(() -> new IllegalArgumentException(text.split("\\.", -1).length != 4
                ? "is not an IPv4 address (expected: four numbers like 10.0.0.1)"
                : "is not an IPv4 address (expected: four numbers 0..255 like 10.0.0.1)"));
    }

    /** The address if {@code text} is an IPv4 or IPv6 literal (IPv6 may be in brackets), else empty. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') < 0) {
            return ipv4Literal(s).map(a -> a);
        }
        if (!s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            // An IPv6 literal: getByName parses it and does no lookup.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Parses a literal or throws with a message naming the option and the expected form. */
    public static InetAddress require(String text, String option) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                option + " " + text + " is not an IP address (expected: e.g. 192.168.1.100 or fd00::100)"));
    }

    public static boolean isLiteral(String text) {
        return parse(text).isPresent();
    }

    /** The IPv4 address for four bytes in network order. */
    public static Inet4Address ipv4(byte[] bytes) {
        if (bytes.length != 4) {
            throw new IllegalArgumentException("expected 4 bytes, got " + bytes.length);
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    /** IPv4 dotted quad, or IPv6 in the RFC 5952 short form (lower case, longest zero run as {@code ::}). */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952 §4.2: shorten the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** The form for a URL host or {@code host:port}: IPv6 in brackets. */
    public static String forUrl(InetAddress address) {
        return address instanceof Inet6Address ? "[" + format(address) + "]" : format(address);
    }

    /** Four decimal parts 0..255 without leading zeros, else empty. */
    private static Optional<Inet4Address> ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            boolean digits = !p.isEmpty() && p.length() <= 3 && p.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) Integer.parseInt(p);
        }
        return Optional.of(ipv4(bytes));
    }
}
