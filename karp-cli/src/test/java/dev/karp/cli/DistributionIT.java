package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.kube.KarpImage;
import dev.karp.kube.LocalTlsServer;
import dev.karp.lab.Exec;
import dev.karp.lab.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as a user gets it: unpacked somewhere else than where it was built, every
 * subcommand run through bin/karp on the bundled jlink runtime.
 */
class DistributionIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path unpacked;
    static Path home;

    @BeforeAll
    static void unpack() throws IOException {
        home = Artifacts.unpackDistribution(unpacked);
    }

    private static ExecResult karp(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.add(home.resolve("bin/karp").toString());
        command.addAll(List.of(args));
        return Exec.run(LIMIT, command);
    }

    private static ExecResult karp(String... args) throws IOException {
        return karp(Map.of(), args);
    }

    @Test
    void theLauncherRunsKarpOnTheBundledRuntime() throws IOException {
        // given / when
        ExecResult r = karp("--version");

        // then
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("karp " + KarpImage.projectVersion()).contains("Java 25");
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
    }

    @Test
    void renderManifestPrintsTheImageThisBuildMakesAndNothingOnStderr() throws IOException {
        // given / when
        ExecResult r = karp("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password");

        // then
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("image: " + KarpImage.DEFAULT);
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void theClassDataSharingArchiveFitsTheRuntimeWhereverItIsUnpacked() throws IOException {
        // given: -Xshare:on makes an unusable archive a start-up error instead of a silent fallback
        Map<String, String> strict = Map.of("KARP_JAVA_OPTS", "-Xshare:on");

        // when
        ExecResult r = karp(strict, "render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "x");

        // then
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(home.resolve("lib/karp.jsa")).isRegularFile();
    }

    @Test
    void runChecksAConfigurationWithTheDaemonsFlags() throws IOException {
        // given / when
        ExecResult r = karp("run", "--check-config", "-i", "lo", "-s", "127.0.0.1", "-v", "7", "--vip",
                "10.200.0.100/24", "--password-file", writePassword().toString());

        // then
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("effective configuration");
    }

    @Test
    void runKeepsTheJitAtAdvbaseZeroAndIsInterpretedOtherwise() throws IOException {
        // given the JVM's own account of its flags
        Map<String, String> env = Map.of("KARP_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        String[] common = {"run", "--check-config", "-i", "lo", "-s", "127.0.0.1", "-v", "7", "--vip",
            "10.200.0.100/24", "--password-file", writePassword().toString()};

        // when
        ExecResult subsecond = karp(env, concat(common, "--advbase", "0", "--advskew", "13"));
        ExecResult whole = karp(env, common);
        ExecResult fromEnvironment = karp(Map.of("KARP_JAVA_OPTS", "-XX:+PrintCommandLineFlags",
                "KARP_EXTRA_FLAGS", "--advskew 13 --advbase 0"), common);

        // then C1 at advbase 0 (a faster takeover), the interpreter at whole seconds (less memory)
        assertThat(subsecond.exitCode()).as(subsecond.stderr()).isZero();
        assertThat(subsecond.stdout()).contains("-XX:TieredStopAtLevel=1");
        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.stderr()).isZero();
        assertThat(fromEnvironment.stdout()).contains("-XX:TieredStopAtLevel=1");
        assertThat(whole.exitCode()).as(whole.stderr()).isZero();
        assertThat(whole.stdout()).doesNotContain("TieredStopAtLevel");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void sniffReadsAUcarpCaptureWithoutAWritableHomeOrTemporaryDirectory() throws IOException {
        // given: JNA's stub comes from lib/native, so nothing may be unpacked anywhere
        Path capture = unpacked.resolve("02-failover-sigkill.pcap");
        try (InputStream in = DistributionIT.class.getResourceAsStream("/vectors/02-failover-sigkill.pcap")) {
            Files.copy(in, capture);
        }
        Map<String, String> readOnly = Map.of("HOME", "/nonexistent",
                "KARP_JAVA_OPTS", "-Djava.io.tmpdir=/nonexistent -Djna.tmpdir=/nonexistent");

        // when
        ExecResult r = karp(readOnly, "sniff", "--read", capture.toString(), "--password", "s3cret");

        // then
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("vhid");
    }

    @Test
    void sanCheckReadsAnEcCertificateOverTls() throws Exception {
        // given: TLS with an EC key needs jdk.crypto.ec in the runtime
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:127.0.0.1"))) {
            // when
            ExecResult r = karp("san", "check", "--server", "127.0.0.1:" + server.port(), "--vip", "127.0.0.1");

            // then
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("VIP 127.0.0.1: covered");
        }
    }

    @Test
    void kubeconfigAndSanHelpLoadTheirCommands() throws IOException {
        // given / when
        ExecResult kubeconfig = karp("kubeconfig", "--help");
        ExecResult san = karp("san", "--help");

        // then
        assertThat(kubeconfig.exitCode()).isZero();
        assertThat(kubeconfig.stdout()).startsWith("Usage: karp kubeconfig");
        assertThat(san.exitCode()).isZero();
        assertThat(san.stdout()).startsWith("Usage: karp san");
    }

    @Test
    void manPagesAndBashCompletionAreInstalled() throws IOException {
        // given
        Path man = home.resolve("share/man/man1");
        Path completion = home.resolve("share/bash-completion/completions/karp");

        // when
        ExecResult syntax = Exec.run(LIMIT, List.of("bash", "-n", completion.toString()));

        // then
        assertThat(Files.readString(man.resolve("karp.1"))).contains(".TH \"KARP\"");
        assertThat(man.resolve("karp-run.1")).isRegularFile();
        assertThat(syntax.exitCode()).isZero();
        assertThat(Files.readString(completion)).contains("complete -F");
    }

    private static Path writePassword() throws IOException {
        Path file = unpacked.resolve("password");
        if (!Files.exists(file)) {
            Files.writeString(file, "s3cret\n");
        }
        return file;
    }
}
