package dev.karp.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Decides whether network-namespace tests can run: they need root (CAP_SYS_ADMIN for
 * {@code ip netns add}, CAP_NET_ADMIN and CAP_NET_RAW inside). When they cannot, they are skipped
 * with a message saying why, except under {@code CI=true}, where a skipped real-network test
 * would hide a broken CI machine, so they fail instead.
 *
 * <p>Use {@code @ExtendWith(NetnsSupport.class)} on a {@code @Tag("netns")} class, or call
 * {@link #assumeRootOrFail()} first thing in a test.
 */
public final class NetnsSupport implements BeforeAllCallback {

    public static final String SKIP_MESSAGE =
            "needs root for network namespaces (run as root or set CI=true to make this a failure)";

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeRootOrFail();
    }

    /** Skips the calling test (or fails it when CI=true) unless namespaces can be made here. */
    public static void assumeRootOrFail() {
        String problem = Probe.PROBLEM;
        if (problem.isEmpty()) {
            return;
        }
        String message = SKIP_MESSAGE + ": " + problem;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** The probe runs once per JVM: read the effective uid, then make and delete a namespace. */
    private static final class Probe {
        static final String PROBLEM = probe();

        private static String probe() {
            try {
                long euid = effectiveUid();
                if (euid != 0) {
                    return "running as uid " + euid;
                }
                String name = "karp-probe-" + ProcessHandle.current().pid();
                ExecResult add = Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "add", name));
                if (add.exitCode() != 0) {
                    return "'ip netns add' failed: " + add.stderr().strip();
                }
                Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", name));
                return "";
            } catch (IOException e) {
                return "cannot run ip (install iproute2): " + e.getMessage();
            }
        }

        private static long effectiveUid() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                }
            }
            throw new IOException("no Uid line in /proc/self/status");
        }
    }
}
