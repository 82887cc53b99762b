package dev.karp.scripts;

import java.time.Duration;
import java.util.List;

/**
 * How one up/down script run ended.
 *
 * @param command  the argv run: script, interface, VIP[, xparam]
 * @param outcome  how it ended
 * @param exitCode the exit status when {@link Outcome#EXITED}, else -1
 * @param elapsed  from start to end (or to the kill)
 * @param output   its standard output and error, line by line, as logged
 */
public record ScriptResult(List<String> command, Outcome outcome, int exitCode, Duration elapsed, List<String> output) {
    public ScriptResult {
        command = List.copyOf(command);
        output = List.copyOf(output);
    }

    /** How a run ended. */
    public enum Outcome {
        /** The script exited by itself; see {@link #exitCode()}. */
        EXITED,
        /** It ran past the timeout and was killed, with everything it started. */
        TIMED_OUT,
        /** It could not be started (not found, not executable, no #! line). */
        NOT_STARTED,
        /** The runner was closed while it ran, so it was killed. */
        INTERRUPTED
    }

    /** Whether the script ran and exited 0. */
    public boolean succeeded() {
        return outcome == Outcome.EXITED && exitCode == 0;
    }
}
