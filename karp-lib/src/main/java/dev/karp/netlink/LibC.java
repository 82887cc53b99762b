package dev.karp.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls karp's shell makes directly: sockets for netlink and multicast membership,
 * poll, and an eventfd for waking the daemon loop. Structs are passed as byte arrays built by
 * pure code, so JNA only moves bytes. Every method throws {@link LastErrorException} carrying
 * errno on failure. Sockets belong to the network namespace of the thread that creates them.
 *
 * <p>Internal to karp's link, vip and daemon packages; not a general-purpose binding.
 */
public interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int SOCK_DGRAM = 2;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;
    int SO_RCVBUF = 8;
    int MSG_DONTWAIT = 0x40;
    int IPPROTO_IP = 0;
    int IP_ADD_MEMBERSHIP = 35;
    int IPPROTO_IPV6 = 41;
    /** IPV6_JOIN_GROUP in linux/in6.h. */
    int IPV6_ADD_MEMBERSHIP = 20;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;
    short POLLIN = 0x1;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int valueLength) throws LastErrorException;

    /** {@code valueLength} is in/out: the buffer's size, then the option's. */
    int getsockopt(int fd, int level, int name, byte[] value, int[] valueLength) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int connect(int fd, byte[] address, int addressLength) throws LastErrorException;

    /** {@code fds} is an array of {@code struct pollfd} (int fd; short events; short revents), see {@link PollFds}. */
    int poll(byte[] fds, NativeLong count, int timeoutMillis) throws LastErrorException;

    /**
     * Like {@link #poll} with a {@code struct timespec} timeout (two C longs: seconds, nanoseconds)
     * instead of whole milliseconds; {@code sigmask} null keeps the thread's mask.
     */
    int ppoll(byte[] fds, NativeLong count, byte[] timeout, Pointer sigmask) throws LastErrorException;

    int eventfd(int initialValue, int flags) throws LastErrorException;

    NativeLong read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int O_RDONLY_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    int open(String path, int flags) throws LastErrorException;

    /** Moves the calling thread into the namespace {@code fd} refers to (needs CAP_SYS_ADMIN). */
    int setns(int fd, int nstype) throws LastErrorException;

    int SCHED_OTHER = 0;
    int SCHED_RR = 2;
    int PRIO_PROCESS = 0;

    /**
     * With {@code pid} 0, sets the calling thread's policy; {@code param} is {@code struct sched_param}, one int
     * (the real-time priority). Raising it needs CAP_SYS_NICE (or RLIMIT_RTPRIO).
     */
    int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    /** With PRIO_PROCESS and {@code who} 0, sets the calling thread's nice value on Linux (nice is per thread). */
    int setpriority(int which, int who, int prio) throws LastErrorException;
}
