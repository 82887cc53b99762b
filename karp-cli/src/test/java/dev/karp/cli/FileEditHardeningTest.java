package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Issue 12 items 2, 3 and 8: the files karp edits, and what it writes into them. */
class FileEditHardeningTest {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    @TempDir
    Path tmp;

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }

    /** A character device of our own (the same as /dev/null), so a failure harms nothing but the test. */
    private Path device() throws Exception {
        Path dev = tmp.resolve("null");
        run("mknod", dev.toString(), "c", "1", "3");
        return dev;
    }

    private static boolean isCharacterDevice(Path p) throws IOException {
        return (((Integer) Files.getAttribute(p, "unix:mode")) & S_IFMT) == S_IFCHR;
    }

    // Item 2: san patch

    @Test
    void sanPatchRefusesADeviceAndLeavesIt() throws Exception {
        Path dev = device();

        CliRun r = CliRun.of("san", "patch", "--distro", "kubeadm", "--vip", "192.168.1.100", "--file", dev.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("karp: --file " + dev + " is a character device, not a regular file; karp edits"
                + " only regular files (after following links)\n");
        assertThat(isCharacterDevice(dev)).isTrue();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).containsExactly(dev);
        }
    }

    @Test
    void sanPatchRefusesALinkToADevice() throws Exception {
        Path dev = device();
        Path link = Files.createSymbolicLink(tmp.resolve("kubeadm.yaml"), dev);

        CliRun r = CliRun.of("san", "patch", "--distro", "kubeadm", "--vip", "192.168.1.100", "--file", link.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is a character device, not a regular file");
        assertThat(isCharacterDevice(dev)).isTrue();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sanPatchRefusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = tmp.resolve("config.yaml");
        run("mkfifo", fifo.toString());

        CliRun r = CliRun.of("san", "patch", "--distro", "kubeadm", "--vip", "192.168.1.100", "--file", fifo.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is a FIFO, not a regular file");
    }

    // Item 2: render-manifest's input files

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void renderManifestRefusesAFifoAsValuesOrPasswordFile() throws Exception {
        Path fifo = tmp.resolve("values.yaml");
        run("mkfifo", fifo.toString());

        CliRun values = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp",
                "--values", fifo.toString());
        CliRun password = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--password-file", fifo.toString());

        assertThat(values.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(values.err()).isEqualTo("karp: --values " + fifo + " is a FIFO, not a regular file\n");
        assertThat(password.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(password.err()).isEqualTo("karp: --password-file " + fifo + " is a FIFO, not a regular file\n");
    }

    // Item 8: Talos anchors

    @Test
    void sanPatchOfATalosFileWithAnchorsFailsWithAClearLineAndChangesNothing() throws Exception {
        String talos = """
                version: v1alpha1
                machine:
                  type: controlplane
                  certSANs: &sans
                    - 10.0.0.1
                cluster:
                  apiServer:
                    certSANs: *sans
                """;
        Path f = Files.writeString(tmp.resolve("controlplane.yaml"), talos);

        CliRun r = CliRun.of("san", "patch", "--distro", "talos", "--vip", "192.168.1.100", "--file", f.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("karp: " + f + " uses YAML anchors or aliases (&name, *name), which karp cannot"
                + " edit safely; add 192.168.1.100 to cluster.apiServer.certSANs by hand").doesNotContain("Exception");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(Files.readString(f)).isEqualTo(talos);
    }

    // Items 2 and 3: kubeconfig rewrite

    private static final String PLAIN_HTTP = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: a
              cluster:
                server: http://192.168.1.11:8080
            - name: b
              cluster:
                server: http://192.168.1.12:8080
            contexts:
            - name: a
              context: {cluster: a, user: admin}
            current-context: a
            users:
            - name: admin
              user: {token: t0ken}
            """;

    @Test
    void kubeconfigRewriteRefusesADevice() throws Exception {
        Path dev = device();

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--kubeconfig", dev.toString(), "--force");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is a character device, not a regular file");
        assertThat(isCharacterDevice(dev)).isTrue();
    }

    @Test
    void aLiteralBlockServerIsReplacedWhole() throws Exception {
        String text = PLAIN_HTTP.replace("    server: http://192.168.1.11:8080\n",
                "    server: |-\n      http://192.168.1.11:8080\n");
        Path f = Files.writeString(tmp.resolve("config"), text);

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--cluster", "a", "--kubeconfig",
                f.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(f)).isEqualTo(PLAIN_HTTP.replace("http://192.168.1.11:8080", "http://127.0.0.1:8080"));
    }

    @Test
    void aFoldedBlockServerIsReplacedWhole() throws Exception {
        String text = PLAIN_HTTP.replace("    server: http://192.168.1.11:8080\n",
                "    server: >\n      http://192.168.1.11:8080\n\n");
        Path f = Files.writeString(tmp.resolve("config"), text);

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--cluster", "a", "--kubeconfig",
                f.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("http://192.168.1.11:8080 -> http://127.0.0.1:8080");
        assertThat(Files.readString(f)).isEqualTo(PLAIN_HTTP.replace("    server: http://192.168.1.11:8080\n",
                "    server: http://127.0.0.1:8080\n\n"));
    }

    @Test
    void concurrentRewritesOfOneFileKeepBothEditsAndRemoveTheLock() throws Exception {
        Path f = tmp.resolve("config");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                Files.writeString(f, PLAIN_HTTP);
                List<Future<CliRun>> runs = new ArrayList<>();
                for (String cluster : List.of("a", "b")) {
                    Callable<CliRun> c = () -> CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0." + (cluster.equals("a")
                            ? 1 : 2), "--cluster", cluster, "--kubeconfig", f.toString());
                    runs.add(pool.submit(c));
                }
                for (Future<CliRun> run : runs) {
                    CliRun r = run.get(60, TimeUnit.SECONDS);
                    assertThat(r.exitCode()).as(r.err()).isZero();
                }
                assertThat(Files.readString(f)).as("round " + round).contains("server: http://127.0.0.1:8080",
                        "server: http://127.0.0.2:8080");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tmp.resolve("config.lock")).doesNotExist();
    }

    @Test
    void aLockHeldByKubectlIsWaitedForThenNamed() throws Exception {
        Path f = Files.writeString(tmp.resolve("config"), PLAIN_HTTP);
        Path lock = Files.createFile(tmp.resolve("config.lock"));

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--cluster", "a", "--kubeconfig",
                f.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).isEqualTo("karp: " + lock + " exists: kubectl or another karp is editing the kubeconfig;"
                + " try again, or remove " + lock + " if no such program is running\n");
        assertThat(Files.readString(f)).isEqualTo(PLAIN_HTTP);
        assertThat(lock).exists();
    }

    @Test
    void theRewrittenFileIsOneKubectlReads() throws Exception {
        String text = PLAIN_HTTP.replace("    server: http://192.168.1.12:8080\n",
                "    server: |\n      http://192.168.1.12:8080\n    insecure-skip-tls-verify: true\n");
        Path f = Files.writeString(tmp.resolve("config"), text);

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--all", "--kubeconfig", f.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        Object loaded = new Yaml().load(Files.readString(f));
        assertThat(loaded.toString()).contains("server=http://127.0.0.1:8080, insecure-skip-tls-verify=true",
                "contexts=[{name=a");
    }
}
