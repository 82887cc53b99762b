package dev.karp.daemon;

/** The daemon cannot go on: the message says what the host refused and what to do about it. */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
