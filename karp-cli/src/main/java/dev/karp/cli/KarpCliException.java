package dev.karp.cli;

/**
 * A failure a user can act on: the message is printed as one line, without a stack trace,
 * and the process exits with {@link #exitCode()}.
 */
public final class KarpCliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public KarpCliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public KarpCliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A configuration or usage problem (exit 2): nothing was changed. */
    public static KarpCliException usage(String message) {
        return new KarpCliException(ExitCodes.USAGE, message);
    }

    /** A runtime failure (exit 1). */
    public static KarpCliException failure(String message) {
        return new KarpCliException(ExitCodes.FAILURE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
