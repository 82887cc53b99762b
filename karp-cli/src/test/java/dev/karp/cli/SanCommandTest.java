package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.kube.LocalTlsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanCommandTest {
    @TempDir
    Path tmp;

    @Test
    void checkExitsZeroAndPrintsTheSansWhenTheVipIsCovered() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:127.0.0.1", "ip:192.168.1.100"))) {

            CliRun r = CliRun.of("san", "check", "--server", "127.0.0.1:" + server.port(), "--vip", "192.168.1.100");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("server:  127.0.0.1:" + server.port() + "\n", "subject: CN=kube-apiserver\n",
                    "SANs:    DNS:kubernetes, IP:127.0.0.1, IP:192.168.1.100\n", "VIP 192.168.1.100: covered\n");
        }
    }

    @Test
    void checkExitsOneWithTheFixWhenTheVipIsMissing() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:127.0.0.1"))) {

            CliRun r = CliRun.of("san", "check", "--server", "127.0.0.1:" + server.port(), "--vip", "192.168.1.100");

            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.out()).contains("VIP 192.168.1.100: NOT covered\n",
                    "fix:     karp san patch --distro <rke|rke2|k3s|kubeadm|talos|k0s|microk8s> --vip 192.168.1.100\n");
        }
    }

    @Test
    void checkReadsAnIpv6ServerAndComparesIpv6Sans() throws Exception {
        LocalTlsServer.assumeIpv6Loopback();
        try (LocalTlsServer server = LocalTlsServer.start("::1", List.of("ip:::1", "ip:fd00:0:0:0:0:0:0:100"))) {

            CliRun covered = CliRun.of("san", "check", "--server", "[::1]:" + server.port(), "--vip", "fd00::100");
            CliRun missing = CliRun.of("san", "check", "--server", "[::1]:" + server.port(), "--vip", "fd00::101");

            assertThat(covered.exitCode()).as(covered.err()).isZero();
            assertThat(covered.out()).contains("server:  [::1]:" + server.port(), "SANs:    IP:::1, IP:fd00::100",
                    "VIP fd00::100: covered");
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
        }
    }

    @Test
    void checkOfAServerThatDoesNotAnswerIsAFailureNamingIt() {
        CliRun r = CliRun.of("san", "check", "--server", "127.0.0.1:1", "--vip", "192.168.1.100", "--timeout", "2");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("karp: cannot read the certificate at 127.0.0.1:1: ");
    }

    @Test
    void patchWithoutAFilePrintsTheChangeAndTheSteps() {
        CliRun r = CliRun.of("san", "patch", "--distro", "k3s", "--vip", "192.168.1.100");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("tls-san+:", "- \"192.168.1.100\"", "sudo systemctl restart k3s");
    }

    @Test
    void patchWithAFileEditsItOnceKeepsABackupAndSaysWhatNext() throws Exception {
        String original = "# my RKE2 config\ntoken: abc\ntls-san:\n  - cp.example.com\n";
        Path f = Files.writeString(tmp.resolve("config.yaml"), original);

        CliRun first = CliRun.of("san", "patch", "--distro", "rke2", "--vip", "192.168.1.100", "--file", f.toString());
        CliRun second = CliRun.of("san", "patch", "--distro", "rke2", "--vip", "192.168.1.100", "--file", f.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.readString(f)).isEqualTo(original + "  - 192.168.1.100\n");
        assertThat(first.out()).contains("added 192.168.1.100 to tls-san in " + f, "backup: ", "systemctl restart rke2-server");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isEqualTo("192.168.1.100 is already in tls-san in " + f + "; nothing to change\n");
        try (var s = Files.list(tmp)) {
            assertThat(s.filter(p -> p.toString().endsWith(".bak")).toList()).hasSize(1);
        }
    }

    @Test
    void patchCreatesAK3sDropInWhereTheDistributionSupportsOne() throws Exception {
        Path dropIn = tmp.resolve("config.yaml.d/90-karp.yaml");
        Files.createDirectories(dropIn.getParent());

        CliRun r = CliRun.of("san", "patch", "--distro", "k3s", "--vip", "fd00::100", "--file", dropIn.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(dropIn)).endsWith("tls-san+:\n  - \"fd00::100\"\n");
    }

    @Test
    void patchDryRunPrintsTheDiffOnly() throws Exception {
        Path f = Files.writeString(tmp.resolve("k0s.yaml"), "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  api:\n    port: 6443\n");

        CliRun r = CliRun.of("san", "patch", "--distro", "k0s", "--vip", "192.168.1.100", "--file", f.toString(), "--dry-run");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("+    sans:\n+      - \"192.168.1.100\"\n");
        assertThat(Files.readString(f)).doesNotContain("sans");
    }

    @Test
    void patchOfAMissingFileThatIsNoDropInIsAUsageError() {
        CliRun r = CliRun.of("san", "patch", "--distro", "kubeadm", "--vip", "192.168.1.100", "--file", tmp.resolve("nope.yaml").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("does not exist (expected: the kubeadm config, e.g. kubeadm.yaml)");
    }

    @Test
    void anUnknownDistributionIsAUsageErrorListingTheKnownOnes() {
        CliRun r = CliRun.of("san", "patch", "--distro", "openshift", "--vip", "192.168.1.100");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("karp: --distro openshift is not known (expected: rke, rke2, k3s, kubeadm, talos, k0s or microk8s)\n");
    }

    @Test
    void aVipThatIsNotAnAddressIsAUsageError() {
        CliRun r = CliRun.of("san", "patch", "--distro", "k3s", "--vip", "api.example.com");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--vip api.example.com is not an IP address");
    }

    @Test
    void checkNamesEveryVipTheCertificateLacksAndComparesIpv6ByAddress() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:192.168.1.100",
                "ip:fd00:200::100"))) {

            CliRun all = CliRun.of("san", "check", "--server", "127.0.0.1:" + server.port(), "--vip", "192.168.1.100/24",
                    "--vip", "fd00:200:0::100");
            CliRun some = CliRun.of("san", "check", "--server", "127.0.0.1:" + server.port(), "--vip", "192.168.1.100",
                    "--vip", "192.168.1.101", "--vip", "fd00:200::100", "--vip", "FD00:200::101/64");

            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out()).contains("SANs:    DNS:kubernetes, IP:192.168.1.100, IP:fd00:200::100\n",
                    "VIP 192.168.1.100: covered\nVIP fd00:200::100: covered\n").doesNotContain("fix:");
            assertThat(some.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(some.out()).endsWith("VIP 192.168.1.100: covered\nVIP 192.168.1.101: NOT covered\n"
                    + "VIP fd00:200::100: covered\nVIP fd00:200::101: NOT covered\n"
                    + "fix:     karp san patch --distro <rke|rke2|k3s|kubeadm|talos|k0s|microk8s> --vip 192.168.1.101"
                    + " --vip fd00:200::101\n");
        }
    }

    @Test
    void checkOfAVipThatIsNeitherAddressNorNameIsAUsageError() {
        CliRun r = CliRun.of("san", "check", "--server", "127.0.0.1:1", "--vip", "10.0.0.300/24");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("karp: --vip 10.0.0.300/24 is not an IP address (expected: e.g. 192.168.1.100 or"
                + " fd00::100)\n");
    }

    @Test
    void patchWithSeveralVipsAddsEachOnceAndPrintsTheStepsForAll() throws Exception {
        Path dropIn = tmp.resolve("config.yaml.d/90-karp.yaml");
        Files.createDirectories(dropIn.getParent());

        CliRun r = CliRun.of("san", "patch", "--distro", "k3s", "--vip", "192.168.1.100/24", "--vip", "fd00:200:0::100",
                "--vip", "fd00:200::100", "--file", dropIn.toString());
        CliRun again = CliRun.of("san", "patch", "--distro", "k3s", "--vip", "192.168.1.100", "--vip", "fd00:200::100",
                "--file", dropIn.toString());
        CliRun printed = CliRun.of("san", "patch", "--distro", "kubeadm", "--vip", "192.168.1.100", "--vip", "fd00:200::100");
        CliRun microk8s = CliRun.of("san", "patch", "--distro", "microk8s", "--vip", "192.168.1.100", "--vip", "fd00:200::100");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(dropIn)).endsWith("tls-san+:\n  - \"192.168.1.100\"\n  - \"fd00:200::100\"\n");
        assertThat(r.out()).contains("added 192.168.1.100 to tls-san+ in ", "added fd00:200::100 to tls-san+ in ",
                "then check: karp san check --server <node>:6443 --vip 192.168.1.100 --vip fd00:200::100");
        assertThat(again.out()).contains("192.168.1.100 is already in tls-san+", "fd00:200::100 is already in tls-san+");
        assertThat(printed.exitCode()).isZero();
        assertThat(printed.out()).contains("    certSANs:\n      - \"192.168.1.100\"\n      - \"fd00:200::100\"\n",
                "karp san patch --distro kubeadm --vip 192.168.1.100 --vip fd00:200::100 --file kubeadm.yaml",
                "karp san check --server <control-plane-node>:6443 --vip 192.168.1.100 --vip fd00:200::100");
        assertThat(microk8s.out()).contains("  IP.100 = 192.168.1.100\n  IP.101 = fd00:200::100\n");
    }
}
