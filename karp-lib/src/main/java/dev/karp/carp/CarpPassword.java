package dev.karp.carp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The shared CARP password: the HMAC key, 1 to {@value Carp#MAX_PASSWORD_BYTES} bytes
 * (ucarp-spec §2.1). It never appears in {@link #toString()}.
 */
public final class CarpPassword {
    /** UCarp reads the passfile with {@code fgets} into a 512-byte buffer. */
    private static final int FGETS_MAX = 511;

    /**
     * The largest password file karp reads: far above UCarp's 512-byte line, so a real one always fits, yet a
     * device or a wrong path is never read whole.
     */
    public static final long MAX_PASSFILE_BYTES = 4096;

    private final byte[] bytes;

    private CarpPassword(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the password is empty (expected: 1.." + Carp.MAX_PASSWORD_BYTES
                    + " bytes); UCarp refuses an empty password too");
        }
        if (bytes.length > Carp.MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("the password is " + bytes.length + " bytes long (expected: 1.."
                    + Carp.MAX_PASSWORD_BYTES + "); UCarp keeps it with a trailing NUL in a 20-byte buffer and"
                    + " refuses longer ones, so use a shorter password on every node");
        }
        this.bytes = bytes;
    }

    /** The password as UTF-8 bytes, which is what UCarp gets from a UTF-8 command line. */
    public static CarpPassword of(String password) {
        return new CarpPassword(password.getBytes(StandardCharsets.UTF_8));
    }

    public static CarpPassword ofBytes(byte[] password) {
        return new CarpPassword(password.clone());
    }

    /**
     * The password of a passfile as UCarp reads it (ucarp-spec §2.1): the first line, at most
     * 511 bytes, with only its {@code \n} removed. A {@code \r} before it stays part of the
     * password, as in UCarp; {@link #endsWithCarriageReturn()} lets the caller warn about it.
     *
     * @param content the file's bytes (only the first 512 are looked at)
     */
    public static CarpPassword fromPassfile(byte[] content) {
        byte[] line = passfileLine(content);
        if (line.length == 0) {
            throw new IllegalArgumentException("the first line of the password file is empty (expected: the password,"
                    + " 1.." + Carp.MAX_PASSWORD_BYTES + " bytes)");
        }
        return new CarpPassword(line);
    }

    /**
     * The first line of a passfile as UCarp reads it, unchecked (for callers that report a bad length in their
     * own words): at most 511 bytes, only the {@code \n} removed.
     */
    public static byte[] passfileLine(byte[] content) {
        int limit = Math.min(content.length, FGETS_MAX);
        int end = 0;
        while (end < limit && content[end] != '\n') {
            end++;
        }
        return Arrays.copyOf(content, end);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** True when the password ends with {@code \r}, typically a passfile saved with Windows line endings. */
    public boolean endsWithCarriageReturn() {
        return bytes[bytes.length - 1] == '\r';
    }

    /** Package access for {@link CarpHmac}, which copies it into its key. */
    byte[] rawBytes() {
        return bytes;
    }

    /** Constant time, so comparing passwords (tests, configurations) reveals nothing through timing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CarpPassword p && MessageDigest.isEqual(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.length;
    }

    @Override
    public String toString() {
        // A configuration printed or logged by mistake shows no password.
        return "(hidden, " + bytes.length + " bytes)";
    }
}
