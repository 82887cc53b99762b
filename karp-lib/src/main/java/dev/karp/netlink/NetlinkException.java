package dev.karp.netlink;

import java.io.IOException;

/** A netlink request failed; {@link #errno()} is the positive Linux errno (0 if none applies). */
public final class NetlinkException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public NetlinkException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** True when the kernel answered with {@code e}. */
    public boolean is(Errno e) {
        return e.is(errno);
    }
}
