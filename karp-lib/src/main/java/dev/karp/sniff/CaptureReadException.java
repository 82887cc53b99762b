package dev.karp.sniff;

/** A capture file could not be read; the message is one line naming the file and the fix. */
public final class CaptureReadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether the file or the host is at fault. */
    public enum Cause {
        /** Missing, unreadable, not a capture, or not Ethernet. */
        BAD_FILE,
        /** libpcap is not installed or cannot be loaded. */
        NO_LIBPCAP
    }

    private final Cause cause;

    public CaptureReadException(Cause cause, String message, Throwable reason) {
        super(message, reason);
        this.cause = cause;
    }

    public Cause kind() {
        return cause;
    }
}
