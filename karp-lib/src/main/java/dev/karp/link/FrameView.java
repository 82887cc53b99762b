package dev.karp.link;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One received Ethernet frame in a buffer that the receiving loop owns and reuses: valid until the next read into
 * it. The cheap path of {@link Link#receive(long, FrameView)}, beside the simple value {@link ReceivedFrame}: a
 * flood of invalid frames that allocates per frame fills the young generation several times a second, and each
 * young GC is a safepoint that holds a real-time loop off (issue 16, the fast profile). Not thread-safe.
 */
public final class FrameView {
    /** Room for any frame the capture passes ({@link PcapLink}'s snaplen is 256); larger ones make it grow. */
    static final int INITIAL_CAPACITY = 512;

    private byte[] bytes;
    private ByteBuffer view;
    private int length;
    private long receivedNanos;

    public FrameView() {
        bytes = new byte[INITIAL_CAPACITY];
        view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Copies {@code length} bytes of {@code frame} from {@code offset} in, read at {@code receivedNanos}. */
    public void set(byte[] frame, int offset, int length, long receivedNanos) {
        Objects.checkFromIndexSize(offset, length, frame.length);
        System.arraycopy(frame, offset, room(length), 0, length);
        filled(length, receivedNanos);
    }

    /** Copies {@code frame} in. */
    public void set(ReceivedFrame frame) {
        frame.copyTo(this);
    }

    /** The array to read a frame of up to {@code length} bytes into, then {@link #filled}; grows if needed. */
    byte[] room(int length) {
        if (length > bytes.length) {
            bytes = new byte[Math.max(length, 2 * bytes.length)];
            view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }
        return bytes;
    }

    /** The frame's first {@code length} bytes were written into {@link #room}. */
    void filled(int length, long receivedNanos) {
        this.length = length;
        this.receivedNanos = receivedNanos;
    }

    /**
     * The frame, read-only, from position 0 to its length: the same buffer object on every call (only its position
     * and limit are reset), valid until the next read.
     */
    public ByteBuffer buffer() {
        view.limit(length).position(0);
        return view;
    }

    public int length() {
        return length;
    }

    /** {@link System#nanoTime()} when the frame was read. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** A copy that outlives the next read. */
    public ReceivedFrame toReceivedFrame() {
        return new ReceivedFrame(java.util.Arrays.copyOf(bytes, length), receivedNanos);
    }

    @Override
    public String toString() {
        return "FrameView[" + length + " bytes at " + receivedNanos + "]";
    }
}
