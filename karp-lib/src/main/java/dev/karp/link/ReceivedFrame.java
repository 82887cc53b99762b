package dev.karp.link;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One Ethernet frame as it arrived, destination MAC first, no FCS: a value that keeps. A receiving loop that must
 * not allocate per frame reads into a {@link FrameView} instead.
 *
 * @param frame         the bytes (copied in and out)
 * @param receivedNanos {@link System#nanoTime()} when karp read it (immediate mode: within
 *                      microseconds of its arrival)
 */
public record ReceivedFrame(byte[] frame, long receivedNanos) {

    public ReceivedFrame {
        frame = frame.clone();
    }

    @Override
    public byte[] frame() {
        return frame.clone();
    }

    /** A read-only view, for decoders that take a ByteBuffer. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    public int length() {
        return frame.length;
    }

    /** Into a reusable view, without the copy {@link #frame()} makes. */
    void copyTo(FrameView view) {
        view.set(frame, 0, frame.length, receivedNanos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedFrame r && receivedNanos == r.receivedNanos && Arrays.equals(frame, r.frame);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(frame) * 31 + Long.hashCode(receivedNanos);
    }

    @Override
    public String toString() {
        return "ReceivedFrame[" + frame.length + " bytes at " + receivedNanos + "]";
    }
}
