package dev.karp.sniff;

/** A live capture could not be opened, written or read; the message is one line naming the problem and the fix. */
public final class LiveCaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whose fault it is, for the exit code. */
    public enum Cause {
        /** The interface does not exist or does not carry Ethernet: the user asked for the wrong thing. */
        BAD_INTERFACE,
        /** The output file cannot be created where asked (before anything was captured). */
        BAD_OUTPUT,
        /** No CAP_NET_RAW. */
        NOT_PERMITTED,
        /** libpcap is not installed or cannot be loaded. */
        NO_LIBPCAP,
        /** libpcap or the output file failed otherwise, e.g. midway through the capture. */
        FAILED
    }

    private final Cause cause;

    public LiveCaptureException(Cause cause, String message, Throwable reason) {
        super(message, reason);
        this.cause = cause;
    }

    public Cause kind() {
        return cause;
    }
}
