package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.karp.lab.NetnsSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3: {@code kubeconfig rewrite} on a read-only or full file system fails in one line, without a
 * Java exception name, and says whether a backup was left. The file systems are made in a private mount
 * namespace of one thread, which ends with it: nothing is mounted on the host.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(60)
class KubeconfigWriteFailureTest {
    private static final int CLONE_NEWNS = 0x00020000;
    private static final long MS_RDONLY = 1;
    private static final long MS_REMOUNT = 32;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final long MS_PRIVATE = 1 << 18;

    private static final String CONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: a
              cluster:
                server: http://192.168.1.11:8080
            contexts:
            - name: a
              context: {cluster: a, user: admin}
            current-context: a
            users:
            - name: admin
              user: {token: t0ken}
            """;

    interface Mounts extends Library {
        Mounts C = Native.load("c", Mounts.class);

        int unshare(int flags) throws com.sun.jna.LastErrorException;

        int mount(String source, String target, String type, long flags, String data)
                throws com.sun.jna.LastErrorException;
    }

    @TempDir
    Path tmp;

    /** Runs {@code body} on a new thread in a private mount namespace, after {@code setUp} there. */
    private static <T> T inPrivateMounts(Callable<Void> setUp, Callable<T> body) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            return one.submit(() -> {
                Mounts.C.unshare(CLONE_NEWNS);
                // Nothing mounted here may propagate back to the host.
                Mounts.C.mount("none", "/", null, MS_REC | MS_PRIVATE, null);
                setUp.call();
                return body.call();
            }).get(30, TimeUnit.SECONDS);
        } finally {
            // The thread, and with it the namespace and its mounts, ends here.
            one.shutdownNow();
            one.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private CliRun rewrite(Path f) {
        return CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--cluster", "a", "--kubeconfig", f.toString());
    }

    private long backups() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".bak")).count();
        }
    }

    @Test
    void aReadOnlyFileSystemIsOneLineAndChangesNothing() throws Exception {
        Path f = Files.writeString(tmp.resolve("config"), CONFIG);
        String dir = tmp.toString();

        CliRun r = inPrivateMounts(() -> {
            Mounts.C.mount(dir, dir, null, MS_BIND, null);
            Mounts.C.mount(null, dir, null, MS_REMOUNT | MS_BIND | MS_RDONLY, null);
            return null;
        }, () -> rewrite(f));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("karp: ").contains("read-only file system").contains("nothing was changed")
                .doesNotContain("Exception").doesNotContain("java."));
        assertThat(Files.readString(f)).isEqualTo(CONFIG);
        assertThat(backups()).isZero();
    }

    @Test
    void aFullFileSystemIsOneLineAndSaysNoBackupWasLeft() throws Exception {
        Path f = tmp.resolve("config");
        String dir = tmp.toString();

        CliRun r = inPrivateMounts(() -> {
            Mounts.C.mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=700");
            Files.writeString(f, CONFIG);
            // Fill what is left, so the backup or the new file cannot be written.
            try (OutputStream out = Files.newOutputStream(tmp.resolve("filler"))) {
                byte[] block = new byte[1024];
                for (int i = 0; i < 1024; i++) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException expected) {
                // No space left on device: the file system is full.
            }
            return null;
        }, () -> {
            CliRun run = rewrite(f);
            // Read inside the namespace, where the tmpfs is.
            return new CliRun(run.exitCode(), Files.readString(f) + "\u0000" + backups(), run.err());
        });

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("karp: cannot write ").contains("No space left on device")
                .contains("is unchanged and no backup was left").doesNotContain("Exception"));
        assertThat(r.out()).isEqualTo(CONFIG + "\u00000");
    }
}
