package dev.karp.status;

import java.io.IOException;

/** The status endpoint could not be read; the message is one line naming the address. */
public final class StatusException extends IOException {
    private static final long serialVersionUID = 1L;

    public StatusException(String message, Throwable cause) {
        super(message, cause);
    }

    public StatusException(String message) {
        super(message);
    }
}
