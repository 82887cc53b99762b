package dev.karp.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process started in a lab namespace with {@code ip netns exec}, which execs the
 * command in place, so {@link #pid()} is the command's own pid. Its stdout and stderr go to
 * {@link #log()}.
 */
public final class LabProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    LabProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file holding the process's stdout and stderr. */
    public Path log() {
        return log;
    }

    /** What the process has written so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) until the log contains {@code needle}. */
    public boolean awaitLog(String needle, Duration limit) {
        return Await.until(limit, () -> logText().contains(needle));
    }

    /** SIGKILL: no cleanup runs (ucarp-spec §4.9: the VIP stays configured). */
    public void kill() {
        signal("KILL");
    }

    /** SIGTERM. */
    public void term() {
        signal("TERM");
    }

    /** SIGSTOP: the process freezes, as a hung node would. */
    public void stop() {
        signal("STOP");
    }

    /** SIGCONT after {@link #stop()}. */
    public void cont() {
        signal("CONT");
    }

    /** Sends {@code SIG<name>} (e.g. "USR2"). No-op if the process has exited. */
    public void signal(String signalName) {
        if (!process.isAlive()) {
            return;
        }
        Exec.runUnchecked(Duration.ofSeconds(5), List.of("kill", "-" + signalName, Long.toString(pid())));
    }

    /** Waits at most {@code limit} for the process to end; its exit code, or empty if still running. */
    public Optional<Integer> waitFor(Duration limit) {
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Kills the process if it still runs (a stopped one too) and reaps it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly(); // SIGKILL also ends a SIGSTOPped process
            waitFor(Duration.ofSeconds(5));
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + (isAlive() ? "" : ", exited") + "]";
    }
}
