package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderManifestCommandTest {
    @TempDir
    Path tmp;

    @Test
    void rendersTheSecretAndDaemonSetFromAPasswordFile() throws Exception {
        Path pass = Files.writeString(tmp.resolve("karp.pass"), "s3cret\n");

        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--password-file", pass.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("kind: Secret", "kind: DaemonSet", "- --vip=192.168.1.100/24",
                "password: " + Base64.getEncoder().encodeToString("s3cret".getBytes()));
        assertThat(r.out()).doesNotContain("s3cret");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void withoutAPasswordItFailsAndSaysHowToMakeOne() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("karp: no password: karp never makes one up unasked")
                .contains("head -c 12 /dev/urandom | base64", "--password-file karp.pass", "--existing-secret", "--generate-password");
    }

    @Test
    void aGeneratedPasswordIsShownOnStderrWithHowToReuseIt() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--generate-password");

        assertThat(r.exitCode()).isZero();
        String password = r.err().lines().findFirst().orElseThrow().replaceAll(".*password (\\S+);.*", "$1");
        assertThat(password).hasSize(16).matches("[A-Za-z0-9]+");
        assertThat(r.err()).contains("--password-file karp.pass");
        assertThat(r.out()).contains("password: " + Base64.getEncoder().encodeToString(password.getBytes()));
    }

    @Test
    void theFastProfileAndNoHealthCheckReachTheRunArguments() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--profile", "fast", "--health-url", "off");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("- --advbase=0\n", "- --advskew=13\n").doesNotContain("--health-url");
    }

    @Test
    void byDefaultTheLocalApiServerIsProbed() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password");

        assertThat(r.out()).contains("- --health-url=https://127.0.0.1:6443/readyz\n");
    }

    @Test
    void anUnknownProfileIsAUsageError() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--profile", "turbo");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("karp: --profile turbo is not known (expected: fast)");
    }

    @Test
    void twoPasswordSourcesAreAUsageError() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--password", "a", "--generate-password");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("give one of --password, --password-file, --existing-secret and --generate-password");
    }

    @Test
    void aValuesFileIsReadWithWarningsAndFlagsWin() throws Exception {
        Path values = Files.writeString(tmp.resolve("values.yaml"), """
                envVars: {virtualIp: 10.0.0.100, subnet: 16, serverId: 7, password: s3cret}
                resources: {limits: {cpu: 100m}}
                """);

        CliRun r = CliRun.of("render-manifest", "--values", values.toString(), "--vhid", "9");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("- --vip=10.0.0.100/16", "- --vhid=9").doesNotContain("--vhid=7");
        assertThat(r.err()).startsWith("karp: warning: values: resources.limits.cpu 100m is dropped");
    }

    @Test
    void outOfRangeValuesNameTheOption() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--password", "x", "--advskew", "300");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("karp: --advskew 300 is out of range (expected: 0..255)\n");
    }

    @Test
    void jsonIsAKubernetesList() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--password", "x", "-o", "json");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("{").contains("\"kind\" : \"List\"", "\"kind\" : \"DaemonSet\"");
    }

    @Test
    void theStaticPodTakesThePasswordFromTheNodeOnly() {
        CliRun ok = CliRun.of("render-manifest", "--static-pod", "--vip", "192.168.1.100/24");
        CliRun bad = CliRun.of("render-manifest", "--static-pod", "--vip", "192.168.1.100/24", "--password", "x");

        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("kind: Pod", "path: /etc/karp/password").doesNotContain("kind: Secret");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("install -m 0400 karp.pass /etc/karp/password");
    }

    @Test
    void aRegistryMirrorReplacesTheRegistryOfTheImage() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--password", "x", "--registry", "mirror.local:5000");

        assertThat(r.out()).contains("image: mirror.local:5000/karpdev/karp:");
    }

    @Test
    void tolerationsAreWrittenAsKubectlTaintsAre() {
        assertThat(RenderManifestCommand.toleration("dedicated=lb:NoSchedule"))
                .isEqualTo(Map.of("key", "dedicated", "operator", "Equal", "value", "lb", "effect", "NoSchedule"));
        assertThat(RenderManifestCommand.toleration("node.kubernetes.io/unreachable"))
                .isEqualTo(Map.of("key", "node.kubernetes.io/unreachable", "operator", "Exists"));
        assertThat(RenderManifestCommand.toleration("*")).isEqualTo(Map.of("operator", "Exists"));
        assertThatThrownBy(() -> RenderManifestCommand.toleration("a:Sometimes")).hasMessageContaining("effect Sometimes is not known");
    }
}
