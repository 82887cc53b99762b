package dev.karp.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Strict IPv4 text parsing: dotted decimal only, never a DNS lookup. */
public final class Ipv4 {
    private Ipv4() {
    }

    /**
     * Parses {@code a.b.c.d} with each part 0..255 in decimal without leading zeros.
     *
     * @throws IllegalArgumentException with a short reason ({@code "is not an IPv4 address"}) to put after the text
     */
    public static Inet4Address parse(String text) {
        if (text.indexOf(':') >= 0) {
            throw new IllegalArgumentException("is not an IPv4 address (karp, like UCarp, supports IPv4 only)");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("is not an IPv4 address (expected: four numbers like 10.0.0.1)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            boolean digits = !p.isEmpty() && p.length() <= 3 && p.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("is not an IPv4 address (expected: four numbers 0..255 like 10.0.0.1)");
            }
            bytes[i] = (byte) Integer.parseInt(p);
        }
        return fromBytes(bytes);
    }

    /** The address for four bytes in network order. */
    public static Inet4Address fromBytes(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("expected 4 bytes, got " + bytes.length, e);
        }
    }

    /** The address as an unsigned 32-bit number, for prefix arithmetic. */
    public static long toLong(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
