package dev.karp.vip;

import com.sun.jna.LastErrorException;
import dev.karp.netlink.Errno;
import dev.karp.netlink.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * One {@code karp run} per interface and vhid on a node: a second one would remove the master's VIP at start
 * and fight it. The lock is a listening Unix socket in the abstract namespace, named after the interface and
 * the vhid: the kernel frees it when the process ends however it ends (no stale lock file), it belongs to the
 * network namespace (so nodes in other namespaces, or containers with their own network, do not collide), and
 * a second instance learns the holder's pid from it (SO_PEERCRED).
 *
 * <p>Take it before touching any address; hold it until the VIP is gone.
 */
public final class InstanceLock implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SO_PEERCRED = 17;
    private static final int EADDRINUSE = 98;
    /** Room for many refused second instances; beyond it they still get refused, only without the pid. */
    private static final int BACKLOG = 128;

    private final int fd;
    private boolean closed;

    private InstanceLock(int fd) {
        this.fd = fd;
    }

    /** Another karp holds the lock; the message names it and what to do. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final OptionalInt pid;

        HeldException(String message, OptionalInt pid) {
            super(message);
            this.pid = pid;
        }

        /** The holder's process id, as this process's pid namespace sees it, if known. */
        public OptionalInt pid() {
            return pid;
        }
    }

    /**
     * Takes the lock for {@code vhid} on {@code interfaceName} in the calling thread's network namespace.
     *
     * @throws HeldException if another process holds it (nothing was changed)
     * @throws VipException  if the socket cannot be made at all
     */
    public static InstanceLock acquire(String interfaceName, int vhid) throws HeldException, VipException {
        byte[] address = address(interfaceName, vhid);
        LibC c = LibC.INSTANCE;
        int fd;
        try {
            fd = c.socket(AF_UNIX, SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new VipException("cannot create the lock socket for vhid " + vhid + " on " + interfaceName + ": "
                    + Errno.describe(e.getErrorCode()), e.getErrorCode());
        }
        try {
            c.bind(fd, address, address.length);
            c.listen(fd, BACKLOG);
            return new InstanceLock(fd);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            if (e.getErrorCode() != EADDRINUSE) {
                throw new VipException("cannot take the lock for vhid " + vhid + " on " + interfaceName + ": "
                        + Errno.describe(e.getErrorCode()), e.getErrorCode());
            }
        }
        OptionalInt pid = holder(address);
        String who = pid.isPresent() ? "pid " + pid.getAsInt() : "its pid is unknown";
        throw new HeldException("another karp already runs vhid " + vhid + " on " + interfaceName + " (" + who
                + "); nothing was changed. Stop it first, or give this one another --vhid", pid);
    }

    /** The pid of the process listening on {@code address}: it was in effect when it called listen(2). */
    private static OptionalInt holder(byte[] address) {
        LibC c = LibC.INSTANCE;
        int fd;
        try {
            fd = c.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return OptionalInt.empty();
        }
        try {
            c.connect(fd, address, address.length);
            byte[] ucred = new byte[12];
            int[] length = {ucred.length};
            c.getsockopt(fd, LibC.SOL_SOCKET, SO_PEERCRED, ucred, length);
            int pid = ByteBuffer.wrap(ucred).order(ByteOrder.nativeOrder()).getInt(0);
            return pid > 0 ? OptionalInt.of(pid) : OptionalInt.empty();
        } catch (LastErrorException e) {
            return OptionalInt.empty();
        } finally {
            closeQuietly(fd);
        }
    }

    /** {@code struct sockaddr_un} for the abstract name {@code \0karp/IF/vhid}, sized to the name (no padding). */
    static byte[] address(String interfaceName, int vhid) {
        byte[] name = ("karp/" + interfaceName + "/" + vhid).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 1 + name.length).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        b.put((byte) 0);
        b.put(name);
        return b.array();
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // Nothing to release.
        }
    }

    /** Releases the lock; another instance may start. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(fd);
        }
    }
}
