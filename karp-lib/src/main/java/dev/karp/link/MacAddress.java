package dev.karp.link;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address, held in the low bits of a long so the record compares by value.
 *
 * @param bits the six bytes, first byte most significant
 */
public record MacAddress(long bits) {

    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    public MacAddress {
        if ((bits >>> 48) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** From the six bytes of a frame or of IFLA_ADDRESS. */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("MAC address of " + bytes.length + " bytes (expected: 6)");
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        return new MacAddress(v);
    }

    /** From {@code 02:00:00:00:00:11}. */
    public static MacAddress parse(String text) {
        byte[] bytes;
        try {
            bytes = COLONS.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad MAC address \"" + text + "\" (expected: six hex bytes like 02:00:00:00:00:11)", e);
        }
        return of(bytes);
    }

    /** The six bytes, first on the wire first. */
    public byte[] bytes() {
        byte[] out = new byte[6];
        for (int i = 5; i >= 0; i--) {
            out[i] = (byte) (bits >>> (8 * (5 - i)));
        }
        return out;
    }

    /** {@code 02:00:00:00:00:11}, as {@code ip link} prints it. */
    @Override
    public String toString() {
        return COLONS.formatHex(bytes());
    }
}
