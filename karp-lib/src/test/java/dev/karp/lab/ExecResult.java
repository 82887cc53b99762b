package dev.karp.lab;

import java.util.List;

/**
 * How a finished command went.
 *
 * @param command  the argv that ran
 * @param exitCode its exit status
 * @param stdout   everything it printed on stdout
 * @param stderr   everything it printed on stderr
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result if the command succeeded; otherwise an exception with the command and its stderr. */
    public ExecResult orThrow() {
        if (exitCode != 0) {
            throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                    + (stderr.isBlank() ? "" : "\n" + stderr.strip()));
        }
        return this;
    }
}
