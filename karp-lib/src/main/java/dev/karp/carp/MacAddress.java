package dev.karp.carp;

import java.nio.ByteBuffer;

/**
 * A 48-bit Ethernet address. Held as a {@code long} so the value is immutable and compares by
 * value without defensive copies.
 *
 * @param value the address, first octet most significant, in 0..2^48-1
 */
public record MacAddress(long value) {
    public static final MacAddress BROADCAST = new MacAddress(0xffffffffffffL);
    public static final int LENGTH = 6;

    public MacAddress {
        if (value < 0 || value > 0xffffffffffffL) {
            throw new IllegalArgumentException("MAC address value 0x" + Long.toHexString(value) + " is out of range (expected: 48 bits)");
        }
    }

    /** Reads 6 bytes starting at {@code offset}. */
    public static MacAddress of(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < LENGTH; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xffL);
        }
        return new MacAddress(v);
    }

    /** Exactly 6 bytes. */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("MAC address of " + bytes.length + " bytes (expected: 6)");
        }
        return of(bytes, 0);
    }

    /** Reads 6 bytes at the absolute index {@code offset} of {@code buffer}; the position does not move. */
    static MacAddress of(ByteBuffer buffer, int offset) {
        long v = 0;
        for (int i = 0; i < LENGTH; i++) {
            v = (v << 8) | (buffer.get(offset + i) & 0xffL);
        }
        return new MacAddress(v);
    }

    /** Parses {@code 02:00:00:00:00:11} (also with {@code -} separators). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != LENGTH) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected: xx:xx:xx:xx:xx:xx)");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected: xx:xx:xx:xx:xx:xx)");
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    public byte[] bytes() {
        byte[] b = new byte[LENGTH];
        write(b, 0);
        return b;
    }

    /** Writes the 6 bytes at {@code offset}. */
    public void write(byte[] out, int offset) {
        for (int i = 0; i < LENGTH; i++) {
            out[offset + i] = (byte) (value >>> (8 * (LENGTH - 1 - i)));
        }
    }

    /** The group bit: set for multicast and broadcast destinations. */
    public boolean isMulticast() {
        return (value & 0x010000000000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = (int) (value >>> (8 * (LENGTH - 1 - i))) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
