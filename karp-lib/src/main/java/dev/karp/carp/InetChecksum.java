package dev.karp.carp;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): the one's-complement of the one's-complement sum of
 * big-endian 16-bit words. Both CARP checksums use it (ucarp-spec §3); so does VRRP.
 *
 * <p>To compute a checksum, sum the data with the checksum field zeroed and call
 * {@link #finish}. To verify, sum the data including the stored checksum: the result of
 * {@link #finish} is 0 when it is valid.
 */
public final class InetChecksum {
    private InetChecksum() {
    }

    /** Checksum of {@code length} bytes at the absolute index {@code offset}; an odd tail is padded with zero. */
    public static int checksum(ByteBuffer data, int offset, int length) {
        return finish(sum(data, offset, length, 0));
    }

    public static int checksum(byte[] data, int offset, int length) {
        return finish(sum(data, offset, length, 0));
    }

    /** Adds {@code length} bytes to a running sum; lets a caller prepend a pseudo-header. */
    public static long sum(ByteBuffer data, int offset, int length, long initial) {
        long sum = initial;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((data.get(i) & 0xff) << 8) | (data.get(i + 1) & 0xff);
        }
        if (i < end) {
            sum += (data.get(i) & 0xff) << 8;
        }
        return sum;
    }

    public static long sum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds the carries into 16 bits and complements. */
    public static int finish(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }
}
