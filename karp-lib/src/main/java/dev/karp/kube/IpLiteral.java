package dev.karp.kube;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals, parsed without ever asking DNS, and printed in their short form.
 *
 * <p>{@link InetAddress#getByName} resolves anything that is not a literal, and certificates print IPv6
 * uncompressed ({@code fd00:0:0:0:0:0:0:1}), so addresses are compared as {@link InetAddress}, never as text.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
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
        boolean literal = IPV4.matcher(s).matches() || (s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches());
        if (!literal) {
            return Optional.empty();
        }
        try {
            // A literal: getByName parses it and does no lookup.
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
}
