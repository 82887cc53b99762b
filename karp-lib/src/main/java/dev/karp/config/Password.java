package dev.karp.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The CARP password: the HMAC-SHA1 key, as bytes exactly as given (ucarp-spec §2.1). It never shows
 * its content: {@link #toString()} is a mask, so a config printed or logged by mistake leaks nothing.
 */
public final class Password {
    /** ucarp-spec §2.1: UCarp keeps the key with its NUL in a 20-byte buffer, so 19 bytes at most. */
    public static final int MAX_BYTES = 19;

    private final byte[] bytes;

    private Password(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A password from raw bytes (for example the first line of a password file). */
    public static Password of(byte[] bytes) {
        return new Password(bytes);
    }

    /** A password typed as text; its key is the UTF-8 bytes, as UCarp would get them from a UTF-8 argv. */
    public static Password of(String text) {
        return new Password(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the key bytes, for the HMAC. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The length in bytes. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        // Constant time, so comparing passwords (tests, config reloads) reveals nothing through timing.
        return o instanceof Password p && MessageDigest.isEqual(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Never the content: {@code (hidden, 6 bytes)}. */
    @Override
    public String toString() {
        return "(hidden, " + bytes.length + " bytes)";
    }
}
