package dev.karp.health;

import dev.karp.config.HealthCheck;
import dev.karp.time.Durations;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code /bin/sh -c COMMAND}; exit status 0 is healthy. Unlike up/down scripts (run directly, as UCarp
 * does), a health command is a shell line, as in keepalived's {@code vrrp_script} and Kubernetes exec probes,
 * so {@code curl -fsk https://127.0.0.1:6443/readyz} works as typed.
 *
 * <p>A command still running after the timeout is killed (SIGKILL) with every process it started: a health
 * check has nothing to clean up, and a hung one must not pile up. Standard input is {@code /dev/null}; the last
 * line of its output (stdout and stderr, at most {@value #MAX_DETAIL} characters) becomes the failure's detail.
 */
public final class ExecProbe implements HealthProbe {
    static final int MAX_DETAIL = 200;
    private static final int KEEP_BYTES = 4096;
    private static final File DEV_NULL = new File("/dev/null");

    private final HealthCheck.Exec target;

    public ExecProbe(HealthCheck.Exec target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public ProbeResult probe(Duration timeout) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", target.command())
                    .redirectInput(DEV_NULL)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return ProbeResult.failed("cannot start /bin/sh: " + e.getMessage());
        }
        Tail tail = new Tail(p.getInputStream());
        Thread reader = new Thread(tail, "karp-health-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                killTree(p);
                return ProbeResult.failed("still running after " + Durations.format(timeout) + "; killed");
            }
        } catch (InterruptedException e) {
            killTree(p);
            throw e;
        }
        // The output pipe closes when the last process holding it ends; a background child may keep it open.
        reader.join(100);
        int exit = p.exitValue();
        String last = tail.lastLine();
        if (exit == 0) {
            return ProbeResult.passed("exit 0");
        }
        return ProbeResult.failed("exit " + exit + (last.isEmpty() ? "" : ": " + last));
    }

    private static void killTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public String describe() {
        return target.describe();
    }

    /** Reads a process's output to its end, keeping only the last few KiB. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[KEEP_BYTES];
        private long total;

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[1024];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % KEEP_BYTES)] = buf[i];
                        }
                    }
                }
            } catch (IOException e) {
                // The process died or was killed: what was read so far is all there is.
            }
        }

        synchronized String lastLine() {
            int len = (int) Math.min(total, KEEP_BYTES);
            byte[] bytes = new byte[len];
            for (int i = 0; i < len; i++) {
                bytes[i] = ring[(int) ((total - len + i) % KEEP_BYTES)];
            }
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            int nl = text.lastIndexOf('\n');
            String line = (nl < 0 ? text : text.substring(nl + 1)).strip();
            line = line.replaceAll("\\p{Cntrl}", "?");
            return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
        }
    }
}
