package dev.karp.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * {@code sendto} and {@code recv} of {@link NetlinkSocket} through JNA's direct mapping, with {@code size_t} and
 * {@code ssize_t} as Java longs (64-bit platforms only: {@link #USABLE}). A master renews its VIPs' lifetime at every
 * advert, so a hundred groups make a hundred netlink round trips a second (issue 14); through {@link LibC}'s interface
 * mapping each call went through a proxy, reflection and a NativeLong made by reflection, and the receive copied the
 * whole 64 KiB buffer to native memory and back. Here the receive goes into native memory and only what the kernel
 * wrote is copied.
 */
final class FastNetlinkIo {
    /** size_t is 64 bits wide: the natives below match the C signatures. */
    static final boolean USABLE = Native.LONG_SIZE == 8;

    static {
        if (USABLE) {
            Native.register(FastNetlinkIo.class, NativeLibrary.getInstance("c"));
        }
    }

    private FastNetlinkIo() {
    }

    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    static native long recv(int fd, Pointer buffer, long length, int flags) throws LastErrorException;
}
