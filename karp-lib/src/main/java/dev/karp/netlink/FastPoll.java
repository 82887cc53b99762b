package dev.karp.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * {@link LibC#ppoll} through JNA's direct mapping, for the daemon loop, which waits in it on every wake-up. An
 * interface-mapped call goes through a proxy, reflection and an argument conversion per call: about ten times the
 * cost of the system call itself, and with a hundred groups (issue 14) hundreds of calls a second.
 */
public final class FastPoll {
    static {
        Native.register(FastPoll.class, NativeLibrary.getInstance("c"));
    }

    private FastPoll() {
    }

    /** As {@link LibC#ppoll}: {@code fds} from {@link PollFds}, {@code timeout} a {@code struct timespec}. */
    public static native int ppoll(byte[] fds, NativeLong count, byte[] timeout, Pointer sigmask)
            throws LastErrorException;
}
