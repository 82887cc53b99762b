package dev.karp.health;

import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param healthy whether the probe passed
 * @param detail  one line: what was seen ({@code HTTP 200}, {@code exit 0}) or why it failed
 *                ({@code connection refused}, {@code no answer within 1s})
 */
public record ProbeResult(boolean healthy, String detail) {
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static ProbeResult passed(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult failed(String reason) {
        return new ProbeResult(false, reason);
    }
}
