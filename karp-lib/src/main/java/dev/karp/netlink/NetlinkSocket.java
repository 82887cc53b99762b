package dev.karp.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

/**
 * A NETLINK_ROUTE socket: {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)} bound with
 * {@code sockaddr_nl}. It lives in the network namespace of the thread that opened it, and stays
 * there whichever thread uses it later. Not thread-safe; {@link RtnetlinkClient} serialises use.
 */
public final class NetlinkSocket implements AutoCloseable {

    /** Large enough for any single datagram of a dump (the kernel fills at most ~32 KiB). */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** sizeof(struct sockaddr_nl): u16 family, u16 pad, u32 pid, u32 groups. */
    private static final int SOCKADDR_NL_LEN = 12;

    private final int fd;
    private final byte[] buffer = new byte[RECEIVE_BUFFER];
    /** Where the kernel writes a datagram (FastNetlinkIo); null where the interface mapping is used. */
    private final Memory nativeBuffer = FastNetlinkIo.USABLE ? new Memory(RECEIVE_BUFFER) : null;
    /** The kernel's address for sendto, made once. */
    private static final byte[] KERNEL = sockaddrNl(0);
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a socket in the calling thread's network namespace.
     *
     * @param groups         multicast groups to listen to, e.g. {@link Rtnetlink#RTMGRP_LINK}; 0 for a request socket
     * @param receiveTimeout how long a blocking {@link #receive()} waits for the kernel
     */
    public static NetlinkSocket open(int groups, Duration receiveTimeout) throws NetlinkException {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(Rtnetlink.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Rtnetlink.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw failure("cannot open a netlink socket", e);
        }
        try {
            LibC.INSTANCE.bind(fd, sockaddrNl(groups), SOCKADDR_NL_LEN);
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval(receiveTimeout),
                    2 * Native.LONG_SIZE);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw failure("cannot bind a netlink socket", e);
        }
        return new NetlinkSocket(fd);
    }

    /** The descriptor, for poll(2). */
    public int fd() {
        return fd;
    }

    /** Sends one request to the kernel. */
    public void send(byte[] request) throws NetlinkException {
        try {
            if (FastNetlinkIo.USABLE) {
                FastNetlinkIo.sendto(fd, request, request.length, 0, KERNEL, SOCKADDR_NL_LEN);
            } else {
                LibC.INSTANCE.sendto(fd, request, new NativeLong(request.length), 0, KERNEL, SOCKADDR_NL_LEN);
            }
        } catch (LastErrorException e) {
            throw failure("cannot send a netlink request", e);
        }
    }

    /**
     * Waits (up to the receive timeout) for one datagram and splits it into messages.
     *
     * @throws NetlinkException with errno EAGAIN when the kernel did not answer in time
     */
    public List<NetlinkMessage> receive() throws NetlinkException {
        return receive(0);
    }

    /** Reads one datagram if one is queued; empty otherwise. */
    public List<NetlinkMessage> receiveNow() throws NetlinkException {
        try {
            return receive(LibC.MSG_DONTWAIT);
        } catch (NetlinkException e) {
            if (e.is(Errno.EAGAIN)) {
                return List.of();
            }
            throw e;
        }
    }

    private List<NetlinkMessage> receive(int flags) throws NetlinkException {
        while (true) {
            try {
                int n;
                if (nativeBuffer != null) {
                    n = (int) FastNetlinkIo.recv(fd, nativeBuffer, RECEIVE_BUFFER, flags);
                    nativeBuffer.read(0, buffer, 0, n);
                } else {
                    n = LibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), flags).intValue();
                }
                return NetlinkCodec.split(buffer, n);
            } catch (LastErrorException e) {
                if (Errno.EINTR.is(e.getErrorCode())) {
                    continue;
                }
                if (Errno.EAGAIN.is(e.getErrorCode())) {
                    throw new NetlinkException("no answer from the kernel on the netlink socket", e.getErrorCode());
                }
                throw failure("cannot read from the netlink socket", e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
            if (nativeBuffer != null) {
                nativeBuffer.close();
            }
        }
    }

    static NetlinkException failure(String what, LastErrorException e) {
        int errno = e.getErrorCode();
        return new NetlinkException(what + ": " + Errno.describe(errno), errno);
    }

    private static byte[] sockaddrNl(int groups) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_NL_LEN).order(ByteOrder.nativeOrder());
        b.putShort((short) Rtnetlink.AF_NETLINK);
        b.putShort((short) 0);
        b.putInt(0); // nl_pid 0: bind lets the kernel pick our port id; on sendto it names the kernel
        b.putInt(groups);
        return b.array();
    }

    private static byte[] timeval(Duration d) {
        ByteBuffer b = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
        long seconds = d.getSeconds();
        long micros = d.getNano() / 1000L;
        if (Native.LONG_SIZE == 8) {
            b.putLong(seconds).putLong(micros);
        } else {
            b.putInt((int) seconds).putInt((int) micros);
        }
        return b.array();
    }
}
