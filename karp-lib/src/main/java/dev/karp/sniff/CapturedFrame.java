package dev.karp.sniff;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One frame as captured: when, and its bytes from the Ethernet header on. The array is copied
 * in and out.
 *
 * @param time  the capture timestamp
 * @param bytes the captured bytes (possibly fewer than were on the wire)
 */
public record CapturedFrame(Instant time, byte[] bytes) {
    public CapturedFrame {
        Objects.requireNonNull(time, "time");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A read-only view, without a copy. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedFrame f && time.equals(f.time) && java.util.Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return time.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CapturedFrame[" + time + ", " + bytes.length + " bytes]";
    }
}
