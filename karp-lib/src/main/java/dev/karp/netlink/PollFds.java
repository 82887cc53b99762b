package dev.karp.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An array of {@code struct pollfd { int fd; short events; short revents; }} (8 bytes each, native
 * order) for {@link LibC#poll}.
 */
public final class PollFds {

    private static final int SIZE = 8;

    private final byte[] bytes;
    private final ByteBuffer view;

    /** One entry per fd, each waiting for {@link LibC#POLLIN}. */
    public PollFds(int... fds) {
        bytes = new byte[fds.length * SIZE];
        view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        for (int i = 0; i < fds.length; i++) {
            view.putInt(i * SIZE, fds[i]);
            view.putShort(i * SIZE + 4, LibC.POLLIN);
        }
    }

    public int count() {
        return bytes.length / SIZE;
    }

    /** The array handed to poll(2); poll writes revents into it. */
    public byte[] bytes() {
        return bytes;
    }

    /** revents of entry {@code i} after poll returned. */
    public int revents(int i) {
        return Short.toUnsignedInt(view.getShort(i * SIZE + 6));
    }

    /** Clears every revents before the next poll. */
    public void reset() {
        for (int i = 0; i < count(); i++) {
            view.putShort(i * SIZE + 6, (short) 0);
        }
    }
}
