package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.kube.LocalTlsServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** karp kubeconfig rewrite against a local TLS server standing in for the API server at the VIP. */
class KubeconfigCommandTest {
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster:
                server: https://192.168.1.11:6443  # cp1
                certificate-authority-data: Y2E=
            contexts:
            - name: prod
              context: {cluster: prod, user: admin}
            current-context: prod
            users:
            - name: admin
              user: {token: t0ken}
            """;

    @TempDir
    Path tmp;

    private Path kubeconfig() throws Exception {
        return Files.writeString(tmp.resolve("config"), KUBECONFIG);
    }

    @Test
    void rewritesWhenTheCertificateAtTheVipCoversItAndKeepsABackup() throws Exception {
        Path f = kubeconfig();
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:127.0.0.1"))) {

            CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(server.port()),
                    "--kubeconfig", f.toString());

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Files.readString(f)).isEqualTo(KUBECONFIG.replace("https://192.168.1.11:6443",
                    "https://127.0.0.1:" + server.port()));
            assertThat(r.out()).startsWith("cluster \"prod\" in " + f.toRealPath() + ": https://192.168.1.11:6443 -> https://127.0.0.1:"
                    + server.port() + "\nbackup: ");
            assertThat(backups()).singleElement().satisfies(b -> assertThat(Files.readString(b)).isEqualTo(KUBECONFIG));
        }
    }

    @Test
    void refusesWithTheFixWhenTheCertificateLacksTheVipAndChangesNothing() throws Exception {
        Path f = kubeconfig();
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:10.96.0.1"))) {

            CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(server.port()),
                    "--kubeconfig", f.toString());

            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).startsWith("karp: the certificate at 127.0.0.1:" + server.port() + " does not cover 127.0.0.1"
                    + " (SANs: DNS:kubernetes, IP:10.96.0.1)")
                    .contains("karp san patch --distro <rke|rke2|k3s|kubeadm|talos|k0s|microk8s> --vip 127.0.0.1",
                            "--tls-server-name kubernetes", "nothing was changed");
            assertThat(Files.readString(f)).isEqualTo(KUBECONFIG);
            assertThat(backups()).isEmpty();
        }
    }

    @Test
    void aTlsServerNameTheCertificateHasLetsItThrough() throws Exception {
        Path f = kubeconfig();
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:10.96.0.1"))) {

            CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(server.port()),
                    "--kubeconfig", f.toString(), "--tls-server-name", "kubernetes");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Files.readString(f)).contains("    server: https://127.0.0.1:" + server.port() + "  # cp1\n"
                    + "    tls-server-name: kubernetes\n");
        }
    }

    @Test
    void aTlsServerNameTheCertificateLacksIsRefused() throws Exception {
        Path f = kubeconfig();
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes"))) {

            CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(server.port()),
                    "--kubeconfig", f.toString(), "--tls-server-name", "api.example.com");

            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).startsWith("karp: the certificate at 127.0.0.1:" + server.port()
                    + " does not cover tls-server-name api.example.com (SANs: DNS:kubernetes)");
            assertThat(Files.readString(f)).isEqualTo(KUBECONFIG);
        }
    }

    @Test
    void anUnreachableVipIsRefusedUnlessForced() throws Exception {
        Path f = kubeconfig();
        int port = closedPort();

        CliRun refused = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(port),
                "--kubeconfig", f.toString());
        String afterRefusal = Files.readString(f);
        CliRun forced = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(port),
                "--kubeconfig", f.toString(), "--force");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.err()).contains("cannot read the certificate at 127.0.0.1:" + port, "is karp running", "--force");
        assertThat(afterRefusal).isEqualTo(KUBECONFIG);
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.err()).startsWith("karp: warning (--force): cannot read the certificate");
        assertThat(Files.readString(f)).contains("server: https://127.0.0.1:" + port);
    }

    @Test
    void dryRunPrintsAUnifiedDiffAndChangesNothing() throws Exception {
        Path f = kubeconfig();

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "127.0.0.1", "--port", String.valueOf(closedPort()),
                "--kubeconfig", f.toString(), "--dry-run");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("--- a/").contains("-    server: https://192.168.1.11:6443  # cp1\n",
                "+    server: https://127.0.0.1:");
        assertThat(r.err()).startsWith("karp: note: a real run would refuse: cannot read the certificate");
        assertThat(Files.readString(f)).isEqualTo(KUBECONFIG);
        assertThat(backups()).isEmpty();
    }

    @Test
    void anUnknownClusterIsAUsageErrorNamingTheKnownOnes() throws Exception {
        Path f = kubeconfig();

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "192.168.1.100", "--cluster", "staging", "--kubeconfig", f.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("karp: kubeconfig has no cluster named \"staging\" (found: prod); use --cluster\n");
        assertThat(Files.readString(f)).isEqualTo(KUBECONFIG);
    }

    @Test
    void aFileThatIsNotAKubeconfigIsAUsageError() throws Exception {
        Path f = Files.writeString(tmp.resolve("deploy.yaml"), "apiVersion: apps/v1\nkind: Deployment\n");

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "192.168.1.100", "--kubeconfig", f.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is not a kubeconfig (kind: Deployment, expected: Config)");
    }

    @Test
    void clusterContextAndAllExcludeEachOther() throws Exception {
        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "192.168.1.100", "--all", "--cluster", "prod",
                "--kubeconfig", kubeconfig().toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("mutually exclusive");
    }

    private List<Path> backups() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".bak")).toList();
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @Test
    void anIpv6VipIsBracketedInTheServerUrlAndComparedByAddress() throws Exception {
        LocalTlsServer.assumeIpv6Loopback();
        Path f = kubeconfig();
        try (LocalTlsServer server = LocalTlsServer.start("::1", List.of("dns:kubernetes", "ip:0:0:0:0:0:0:0:1"))) {

            CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "0:0::1/128", "--port", String.valueOf(server.port()),
                    "--kubeconfig", f.toString());

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Files.readString(f)).contains("server: https://[::1]:" + server.port() + "  # cp1\n");
        }
    }

    @Test
    void severalVipsAreAUsageErrorThatAsksForTheOneClientsUse() throws Exception {
        Path f = kubeconfig();

        CliRun r = CliRun.of("kubeconfig", "rewrite", "--vip", "192.168.1.100", "--vip", "fd00:200::100",
                "--kubeconfig", f.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("karp: --vip is given 2 times, but a kubeconfig server has one address; give the"
                + " one VIP clients should use (e.g. the IPv4 one of a dual-stack pair, or the API server's group)\n");
        assertThat(Files.readString(f)).isEqualTo(KUBECONFIG);
        assertThat(backups()).isEmpty();
    }
}
