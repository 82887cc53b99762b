package dev.karp.netlink;

/**
 * The Linux errno values karp meets on its netlink and packet sockets, with glibc's strerror
 * text, so messages read the same as those of {@code ip} and {@code ucarp} without calling into
 * libc. Numbers are those of x86-64 and arm64 (asm-generic/errno*.h).
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    ERANGE(34, "Numerical result out of range"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ENOBUFS(105, "No buffer space available"),
    ENXIO(6, "No such device or address");

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    public int number() {
        return number;
    }

    /** The strerror text, e.g. {@code Operation not permitted}. */
    public String text() {
        return text;
    }

    /** strerror for any number: the known text, else {@code errno N}. */
    public static String describe(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e.text;
            }
        }
        return "errno " + number;
    }

    /** True when {@code number} is this errno. */
    public boolean is(int number) {
        return this.number == number;
    }
}
