package dev.karp.scripts;

import dev.karp.time.Durations;
import dev.karp.log.KarpLogging;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs up/down scripts off the protocol's thread, one at a time, in the order they were submitted.
 *
 * <p>ucarp-spec §4.11 and §7 item 9: UCarp runs scripts with fork+execl and blocks in waitpid, so a slow
 * script stops adverts and a hung one gets a master displaced while it still holds the VIP; it also ignores
 * exit codes and leaks descriptors. Here a single worker thread runs them: the caller never waits, an up and
 * a down never overtake each other, a script that outlives the timeout is killed with everything it started,
 * a non-zero exit is logged, its output is logged line by line, and the JDK closes every descriptor above 2
 * in the child. As in UCarp the script is executed directly (no shell) with the environment inherited.
 */
public final class ScriptRunner implements AutoCloseable {
    private static final Logger LOG = KarpLogging.logger(ScriptRunner.class);
    /** After the timeout, SIGTERM; after this grace, SIGKILL. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(1);
    private static final File DEV_NULL = new File("/dev/null");

    private final Duration timeout;
    private final ExecutorService worker;

    /** @param timeout how long one script may run before it is killed */
    public ScriptRunner(Duration timeout) {
        this.timeout = timeout;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "karp-scripts");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues {@code script args...}; returns at once.
     *
     * @return completes when the script has ended; never completes exceptionally
     */
    public Future<ScriptResult> submit(Path script, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(args);
        return worker.submit(() -> run(List.copyOf(command)));
    }

    private ScriptResult run(List<String> command) {
        String name = command.get(0);
        LOG.info(() -> "running " + String.join(" ", command));
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .start();
        } catch (IOException e) {
            LOG.warning(() -> "cannot run " + name + ": " + e.getMessage());
            return new ScriptResult(command, ScriptResult.Outcome.NOT_STARTED, -1, elapsedSince(start), List.of());
        }
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readOutput(process, name, output), "karp-script-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                joinQuietly(reader);
                LOG.warning(() -> name + " did not finish within " + Durations.format(timeout)
                        + "; killed it (raise --script-timeout if it needs longer)");
                return new ScriptResult(command, ScriptResult.Outcome.TIMED_OUT, -1, elapsedSince(start), output);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            LOG.warning(() -> name + " was killed because karp is stopping");
            return new ScriptResult(command, ScriptResult.Outcome.INTERRUPTED, -1, elapsedSince(start), output);
        }
        joinQuietly(reader);
        int exit = process.exitValue();
        Duration elapsed = elapsedSince(start);
        if (exit == 0) {
            LOG.info(() -> name + " exited 0 after " + Durations.format(elapsed));
        } else {
            // UCarp ignores the status; a failing script usually means the VIP or a service is not where expected.
            LOG.warning(() -> name + " exited " + exit + " after " + Durations.format(elapsed));
        }
        return new ScriptResult(command, ScriptResult.Outcome.EXITED, exit, elapsed, output);
    }

    private static void readOutput(Process process, String name, List<String> output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                String l = line;
                LOG.info(() -> name + ": " + l);
            }
        } catch (IOException e) {
            // The pipe closes when the process is killed; what was read is kept.
            LOG.log(Level.FINE, "output of " + name + " ended early", e);
        }
    }

    /** SIGTERM to the script and everything it started, then SIGKILL after a grace period. */
    private static void kill(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void joinQuietly(Thread reader) {
        try {
            // Bounded: a grandchild the kill missed could keep the pipe open for ever.
            reader.join(KILL_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Stops taking scripts and waits for the queued ones (each bounded by the timeout) up to {@code wait};
     * a script still running then is killed.
     */
    public void close(Duration wait) {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                worker.shutdownNow();
                worker.awaitTermination(KILL_GRACE.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #close(Duration)} waiting up to the script timeout plus the kill grace. */
    @Override
    public void close() {
        close(timeout.plus(KILL_GRACE).plus(KILL_GRACE));
    }
}
