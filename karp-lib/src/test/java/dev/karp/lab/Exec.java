package dev.karp.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion with a timeout, capturing its output. */
public final class Exec {

    private Exec() {
    }

    /**
     * Runs {@code command} and waits at most {@code timeout}; a command still running then is
     * killed and reported as exit code 124 (as timeout(1) does).
     */
    public static ExecResult run(Duration timeout, List<String> command) throws IOException {
        File out = File.createTempFile("karp-exec", ".out");
        File err = File.createTempFile("karp-exec", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out)
                    .redirectError(err)
                    .start();
            int code;
            try {
                if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    code = p.exitValue();
                } else {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    code = 124;
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            return new ExecResult(command, code, Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    /** {@link #run} that turns IOException into an unchecked one, for test code. */
    public static ExecResult runUnchecked(Duration timeout, List<String> command) {
        try {
            return run(timeout, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
