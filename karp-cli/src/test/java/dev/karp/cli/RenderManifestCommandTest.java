package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
    void eachAuthModeReachesTheRunArgumentsAndNoneByDefault() {
        for (String mode : List.of("ucarp", "migrate", "strict")) {
            CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                    "--auth", mode);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("- --health-url=https://127.0.0.1:6443/readyz\n        - --auth=" + mode + "\n");
            assertThat(r.err()).isEmpty();
        }
        assertThat(CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password").out())
                .doesNotContain("--auth");
    }

    @Test
    void anUnknownAuthModeIsAUsageErrorWithOneLineAndNothingPrinted() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--auth", "hmac");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("karp: --auth hmac is not an authentication mode (expected: ucarp, migrate or"
                + " strict)\n");
    }

    @Test
    void theStaticPodGetsTheAuthModeAndAValuesFileItsAuthKey() throws Exception {
        Path values = Files.writeString(tmp.resolve("values.yaml"), """
                envVars: {virtualIp: 10.0.0.100, password: s3cret}
                auth: migrate
                """);

        CliRun staticPod = CliRun.of("render-manifest", "--static-pod", "--vip", "192.168.1.100/24", "--auth", "strict");
        CliRun fromValues = CliRun.of("render-manifest", "--values", values.toString());
        CliRun flagWins = CliRun.of("render-manifest", "--values", values.toString(), "--auth", "strict");
        CliRun badValue = CliRun.of("render-manifest", "--values",
                Files.writeString(tmp.resolve("bad.yaml"), "envVars: {virtualIp: 10.0.0.100, password: s3cret}\nauth: hmac\n")
                        .toString());

        assertThat(staticPod.exitCode()).as(staticPod.err()).isZero();
        assertThat(staticPod.out()).contains("kind: Pod", "- --auth=strict\n");
        assertThat(fromValues.exitCode()).as(fromValues.err()).isZero();
        assertThat(fromValues.out()).contains("- --auth=migrate\n");
        assertThat(fromValues.err()).isEmpty();
        assertThat(flagWins.out()).contains("- --auth=strict\n").doesNotContain("--auth=migrate");
        assertThat(badValue.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badValue.out()).isEmpty();
        assertThat(badValue.err()).isEqualTo("karp: values: auth hmac is not known (expected: ucarp, migrate or strict,"
                + " or empty)\n");
    }

    @Test
    void authBesideAnExtraAuthArgumentIsRefusedSinceKarpRunRefusesItTwice() {
        CliRun render = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--auth", "strict", "--extra-arg=--auth=migrate");
        CliRun run = CliRun.of("run", "--auth=migrate", "--auth=strict", "--vip", "10.200.0.100/24", "--pass", "x");

        assertThat(render.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(render.out()).isEmpty();
        assertThat(render.err()).startsWith("karp: --auth strict and the extra argument --auth=migrate are both given")
                .endsWith("give the mode with --auth only (chart value auth)\n").hasLineCount(1);
        assertThat(run.exitCode()).as("the reason for the check: " + run.err()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anExtraArgumentMayLookLikeAnOptionOfRenderManifestItself() {
        CliRun spaced = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--extra-arg", "--auth=migrate");
        CliRun attached = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--extra-arg=--name=x", "--extra-arg", "--vip");
        CliRun missing = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--existing-secret", "karp-password",
                "--extra-arg");

        assertThat(spaced.exitCode()).as(spaced.err()).isZero();
        assertThat(spaced.out()).contains("- --health-url=https://127.0.0.1:6443/readyz\n        - --auth=migrate\n");
        assertThat(attached.exitCode()).as(attached.err()).isZero();
        assertThat(attached.out()).contains("        - --name=x\n        - --vip\n", "name: karp\n");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).startsWith("karp: --extra-arg needs a value");
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

    @Test
    void repeatedVipsAndCommaSeparatedPeersReachTheRunArguments() {
        CliRun r = CliRun.of("render-manifest", "--vip", "192.168.1.100/24", "--vip", "fd00:10::100/64",
                "--peers", "192.168.1.11,192.168.1.12", "--peer", "192.168.1.13", "--existing-secret", "karp-password");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("- --vip=192.168.1.100/24\n        - --vip=fd00:10::100/64\n        - --vhid=10\n",
                "- --peer=192.168.1.11\n        - --peer=192.168.1.12\n        - --peer=192.168.1.13\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void groupsRenderAConfigMapWithTheConfigFileAndRunReadsIt() {
        CliRun r = CliRun.of("render-manifest", "--group", "vhid=10,vip=192.168.1.100/24,vip=fd00:10::100/64",
                "--group", "vhid=11,vip=192.168.1.101/24,advskew=100", "--advskew", "50", "--existing-secret", "karp-password");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("kind: ConfigMap", "name: karp-config", "  karp.yaml: |\n",
                "    advskew: 50\n", "      - vhid: 10\n", "          - \"fd00:10::100/64\"\n", "        advskew: 100\n",
                "- --config=/etc/karp-config/karp.yaml\n", "karp.dev/config-sha256: ");
        assertThat(r.out()).doesNotContain("--vip=", "--vhid=");
    }

    @Test
    void theSameGroupsRenderTheSameBytes() {
        String[] args = {"render-manifest", "--group", "vhid=10,vip=192.168.1.100/24", "--group",
            "vhid=11,vip=fd00:10::101/64", "--peers", "10.0.0.11,10.0.0.12", "--existing-secret", "karp-password"};

        assertThat(CliRun.of(args).out()).isEqualTo(CliRun.of(args).out());
    }

    @Test
    void badGroupsVipsAndPeersAreUsageErrorsOfOneLineWithNothingPrinted() {
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("karp: --peer node-1 is not an IP address (expected: a node's address such as 192.168.1.11 or"
                + " fd00::11, no prefix)\n", new String[] {"--vip", "10.0.0.1/24", "--peers", "10.0.0.11,node-1"});
        cases.put("karp: vhid 2 is in two groups; every group needs its own vhid\n",
                new String[] {"--group", "vhid=2,vip=10.0.0.2/24", "--group", "vhid=2,vip=10.0.0.3/24"});
        cases.put("karp: VIP fd00:200::100 is in the groups with vhid 2 and 3; an address belongs to one group only\n",
                new String[] {"--group", "vhid=2,vip=fd00:200::100/64", "--group", "vhid=3,vip=fd00:200:0::100/64"});
        cases.put("karp: --group and --vip are both given; give each group's vhid and VIPs in its --group"
                + " (vhid=N,vip=CIDR)\n", new String[] {"--vip", "10.0.0.1/24", "--group", "vhid=2,vip=10.0.0.2/24"});
        cases.put("karp: --group and --vhid are both given; give each group's vhid and VIPs in its --group"
                + " (vhid=N,vip=CIDR)\n", new String[] {"--vhid", "3", "--group", "vhid=2,vip=10.0.0.2/24"});
        cases.put("karp: --vip fd00::100/64 is given twice (also as fd00::100/64); give each address once\n",
                new String[] {"--vip", "fd00::100/64", "--vip", "FD00:0::100/64"});
        cases.put("karp: --peer 10.0.0.11 is the only peer; give the address of every node that runs karp (at least"
                + " two), the same list for all\n", new String[] {"--vip", "10.0.0.1/24", "--peer", "10.0.0.11"});
        cases.forEach((message, extra) -> {
            List<String> args = new ArrayList<>(List.of("render-manifest", "--existing-secret", "karp-password"));
            args.addAll(List.of(extra));

            CliRun r = CliRun.of(args.toArray(String[]::new));

            assertThat(r.exitCode()).as(message).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).isEqualTo(message);
            assertThat(r.out()).isEmpty();
        });
    }

    @Test
    void aValuesFileWithAVipListPeersAndGroupsIsRead() throws Exception {
        Path list = Files.writeString(tmp.resolve("list.yaml"), """
                envVars: {virtualIp: [10.0.0.100, "fd00:10::100/64"], password: s3cret}
                peers: [10.0.0.11, 10.0.0.12]
                """);
        Path groups = Files.writeString(tmp.resolve("groups.yaml"), """
                envVars: {password: s3cret}
                groups:
                  - {vhid: 2, vip: 10.0.0.2/24}
                  - {vhid: 3, vip: [10.0.0.3/24, "fd00:10::3/64"], advskew: 100}
                """);

        CliRun r1 = CliRun.of("render-manifest", "--values", list.toString());
        CliRun r2 = CliRun.of("render-manifest", "--values", groups.toString());

        assertThat(r1.exitCode()).as(r1.err()).isZero();
        assertThat(r1.out()).contains("- --vip=10.0.0.100/24\n", "- --vip=fd00:10::100/64\n", "- --peer=10.0.0.12\n");
        assertThat(r2.exitCode()).as(r2.err()).isZero();
        assertThat(r2.out()).contains("kind: ConfigMap", "          - \"fd00:10::3/64\"\n");
    }

    @Test
    void groupsOnTheCommandLineReplaceTheVipOfAValuesFileAndAVipItsGroups() throws Exception {
        Path single = Files.writeString(tmp.resolve("single.yaml"), "envVars: {virtualIp: 10.0.0.100, password: s3cret}\n");
        Path groups = Files.writeString(tmp.resolve("groups.yaml"),
                "envVars: {password: s3cret}\ngroups: [{vhid: 2, vip: 10.0.0.2/24}]\n");

        CliRun r1 = CliRun.of("render-manifest", "--values", single.toString(), "--group", "vhid=3,vip=10.0.0.3/24");
        CliRun r2 = CliRun.of("render-manifest", "--values", groups.toString(), "--vip", "10.0.0.9/24");

        assertThat(r1.exitCode()).as(r1.err()).isZero();
        assertThat(r1.out()).contains("kind: ConfigMap", "\"10.0.0.3/24\"").doesNotContain("10.0.0.100");
        assertThat(r2.exitCode()).as(r2.err()).isZero();
        assertThat(r2.out()).contains("- --vip=10.0.0.9/24\n").doesNotContain("ConfigMap");
    }
}
