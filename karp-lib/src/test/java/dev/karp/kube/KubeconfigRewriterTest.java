package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kubectl is the independent reader: for each real-world kubeconfig shape, {@code kubectl config view --raw -o
 * json} of karp's output must equal that of the input changed by {@code kubectl config set-cluster} for just
 * the chosen clusters (kubectl normalises order, so its output is compared, not the raw text).
 */
class KubeconfigRewriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    /** One shape: files (relative to the fixture dir), what to select, and what kubectl should then see. */
    record Shape(String name, List<String> files, KubeconfigRewriter.Selection selection, String vip, Integer port,
            String tlsServerName, Map<String, String> expectedServers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                new Shape("current context's cluster, shared by two contexts", List.of("multi.yaml"),
                        new KubeconfigRewriter.Selection.CurrentContext(), "192.168.1.100", null, null,
                        Map.of("prod", "https://192.168.1.100:6443")),
                new Shape("one cluster by context, quoted server and proxy-url", List.of("multi.yaml"),
                        new KubeconfigRewriter.Selection.Context("staging"), "10.0.0.100", null, null,
                        Map.of("staging", "https://10.0.0.100:6443")),
                new Shape("every cluster, one insecure", List.of("multi.yaml"), new KubeconfigRewriter.Selection.All(),
                        "192.168.1.100", null, null, Map.of("prod", "https://192.168.1.100:6443",
                                "staging", "https://192.168.1.100:6443", "kind-kind", "https://192.168.1.100:41999")),
                new Shape("new port and tls-server-name", List.of("multi.yaml"),
                        new KubeconfigRewriter.Selection.Cluster("prod"), "192.168.1.100", 8443, "kubernetes",
                        Map.of("prod", "https://192.168.1.100:8443")),
                new Shape("exec plugin, extensions and a path in the server URL", List.of("exec-ext.yaml"),
                        new KubeconfigRewriter.Selection.CurrentContext(), "172.16.5.100", null, null,
                        Map.of("eks-like", "https://172.16.5.100:443/k8s/clusters/c-abc12")),
                new Shape("file-referenced CA and client certificate", List.of("file-ca/config"),
                        new KubeconfigRewriter.Selection.CurrentContext(), "192.168.1.100", null, "kubernetes",
                        Map.of("lab", "https://192.168.1.100:6443")),
                new Shape("IPv6 VIP, uncompressed old server", List.of("ipv6.yaml"),
                        new KubeconfigRewriter.Selection.CurrentContext(), "fd00:0:0:0:0:0:0:100", null, null,
                        Map.of("v6", "https://[fd00::100]:6443")),
                new Shape("IPv6 without port, existing tls-server-name replaced", List.of("ipv6.yaml"),
                        new KubeconfigRewriter.Selection.Cluster("v6-noport"), "fd00::100", null, "kubernetes",
                        Map.of("v6-noport", "https://[fd00::100]")),
                new Shape("IPv4 VIP for an IPv6 server", List.of("ipv6.yaml"),
                        new KubeconfigRewriter.Selection.All(), "192.168.1.100", null, null,
                        Map.of("v6", "https://192.168.1.100:6443", "v6-noport", "https://192.168.1.100")),
                new Shape("JSON kubeconfig", List.of("flow.json"), new KubeconfigRewriter.Selection.CurrentContext(),
                        "192.168.7.100", null, "kubernetes", Map.of("json-cluster", "https://192.168.7.100:6443")),
                new Shape("KUBECONFIG with two files: the cluster lives in the second", List.of("multi-file/m1.yaml",
                        "multi-file/m2.yaml"), new KubeconfigRewriter.Selection.CurrentContext(), "192.168.50.100", null,
                        null, Map.of("homelab", "https://192.168.50.100:6443")),
                new Shape("KUBECONFIG with two files: a shadowed duplicate stays", List.of("multi-file/m1.yaml",
                        "multi-file/m2.yaml"), new KubeconfigRewriter.Selection.All(), "192.168.50.100", null, null,
                        Map.of("homelab", "https://192.168.50.100:6443", "shared", "https://192.168.50.100:6443")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void kubectlSeesOnlyTheChosenServersChanged(Shape shape) throws Exception {
        String kubectl = Tools.kubectl();
        Path dir = copyFixtures();
        List<Path> files = shape.files().stream().map(dir::resolve).toList();
        Map<Path, String> originals = new LinkedHashMap<>();
        for (Path f : files) {
            originals.put(f, Files.readString(f));
        }
        String before = view(kubectl, files);

        KubeconfigRewriter.Plan plan = KubeconfigRewriter.plan(files, request(shape));
        plan.apply(new AtomicFiles(CLOCK));
        JsonNode karp = JSON.readTree(view(kubectl, files));

        for (var e : originals.entrySet()) {
            Files.writeString(e.getKey(), e.getValue());
        }
        // The generic setter changes one field; set-cluster --server would also drop tls-server-name and
        // insecure-skip-tls-verify, which karp keeps.
        for (var e : shape.expectedServers().entrySet()) {
            set(kubectl, files, dir, "clusters." + e.getKey() + ".server", e.getValue());
            if (shape.tlsServerName() != null) {
                set(kubectl, files, dir, "clusters." + e.getKey() + ".tls-server-name", shape.tlsServerName());
            }
        }
        JsonNode expected = JSON.readTree(view(kubectl, files));
        assertThat(karp).isEqualTo(expected);
        assertThat(karp).isNotEqualTo(JSON.readTree(before));
        assertThat(plan.changes()).extracting(KubeconfigRewriter.Change::cluster)
                .containsExactlyInAnyOrderElementsOf(shape.expectedServers().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void linesOtherThanServerAndTlsServerNameStayAsWritten(Shape shape) throws Exception {
        Path dir = copyFixtures();
        List<Path> files = shape.files().stream().map(dir::resolve).toList();
        Map<Path, List<String>> before = new LinkedHashMap<>();
        for (Path f : files) {
            before.put(f, Files.readAllLines(f));
        }

        KubeconfigRewriter.plan(files, request(shape)).apply(new AtomicFiles(CLOCK));

        for (Path f : files) {
            List<String> removed = new ArrayList<>(before.get(f));
            removed.removeAll(Files.readAllLines(f));
            List<String> added = new ArrayList<>(Files.readAllLines(f));
            added.removeAll(before.get(f));
            // JSON keeps everything on few lines; there the edited line holds the cluster's other keys too.
            if (!f.toString().endsWith(".json")) {
                assertThat(removed).allMatch(l -> l.contains("server"), "only server lines change");
                assertThat(added).allMatch(l -> l.contains("server"), "only server lines are added");
            }
        }
    }

    @Test
    void commentsSurviveTheRewrite() throws Exception {
        Path dir = copyFixtures();
        Path f = dir.resolve("multi.yaml");

        KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(), new KubeconfigRewriter.Selection.CurrentContext(),
                "192.168.1.100", null, null, Map.of()))).apply(new AtomicFiles(CLOCK));

        assertThat(Files.readString(f))
                .contains("# Three clusters, four contexts; \"prod\" is shared by two contexts.")
                .contains("server: https://192.168.1.100:6443   # first control-plane node");
    }

    @Test
    void aBackupWithTheOldContentSitsBesideTheFile() throws Exception {
        Path dir = copyFixtures();
        Path f = dir.resolve("multi.yaml");
        String old = Files.readString(f);

        List<AtomicFiles.Written> written = KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.All(), "192.168.1.100", null, null, Map.of()))).apply(new AtomicFiles(CLOCK));

        Path backup = written.get(0).backup().orElseThrow();
        assertThat(backup.getParent()).isEqualTo(f.toRealPath().getParent());
        assertThat(backup.getFileName().toString()).startsWith("multi.yaml.karp-2026").endsWith(".bak");
        assertThat(Files.readString(backup)).isEqualTo(old);
    }

    @Test
    void dryRunDiffShowsTheServerLineChange() throws Exception {
        Path f = copyFixtures().resolve("multi.yaml");

        KubeconfigRewriter.Plan plan = KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.CurrentContext(), "192.168.1.100", null, null, Map.of())));

        assertThat(plan.edits()).hasSize(1);
        assertThat(plan.edits().get(0).diff())
                .contains("-    server: https://192.168.1.11:6443   # first control-plane node\n")
                .contains("+    server: https://192.168.1.100:6443   # first control-plane node\n");
        assertThat(Files.readString(f)).contains("https://192.168.1.11:6443");
    }

    @Test
    void aClusterThatDoesNotExistIsAnErrorNamingTheOnesThatDo() throws Exception {
        Path f = copyFixtures().resolve("multi.yaml");
        String old = Files.readString(f);

        assertThatThrownBy(() -> KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.Cluster("nope"), "192.168.1.100", null, null, Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kubeconfig has no cluster named \"nope\" (found: prod, staging, kind-kind); use --cluster");
        assertThat(Files.readString(f)).isEqualTo(old);
    }

    @Test
    void aContextThatDoesNotExistIsAnError() throws Exception {
        Path f = copyFixtures().resolve("multi.yaml");

        assertThatThrownBy(() -> KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.Context("qa"), "192.168.1.100", null, null, Map.of()))))
                .hasMessage("kubeconfig has no context named \"qa\" (found: prod-admin, prod-viewer, staging, kind-kind);"
                        + " use --context");
    }

    @Test
    void aFileThatIsNotAKubeconfigIsAnError() throws Exception {
        Path f = copyFixtures().resolve("not-kubeconfig.yaml");

        assertThatThrownBy(() -> KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.All(), "192.168.1.100", null, null, Map.of()))))
                .hasMessage(f + " is not a kubeconfig (kind: Deployment, expected: Config)");
    }

    @Test
    void aFileThatIsNotYamlIsAnErrorWithItsLine() throws Exception {
        Path f = copyFixtures().resolve("broken.yaml");

        assertThatThrownBy(() -> KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.All(), "192.168.1.100", null, null, Map.of()))))
                .hasMessageStartingWith("kubeconfig " + f + " is not valid YAML at line 6, column 1");
    }

    @Test
    void aVipAlreadyInPlaceChangesNothing() throws Exception {
        Path f = copyFixtures().resolve("multi.yaml");

        KubeconfigRewriter.Plan plan = KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.Cluster("prod"), "192.168.1.11", null, null, Map.of())));

        assertThat(plan.changesNothing()).isTrue();
    }

    @Test
    void kubeconfigVariableListsFilesAndSkipsMissingOnes() throws Exception {
        Path dir = copyFixtures();
        String env = dir.resolve("multi-file/m1.yaml") + ":" + dir.resolve("missing.yaml") + "::" + dir.resolve("multi-file/m2.yaml");

        List<Path> files = KubeconfigRewriter.files(Optional.empty(), env, Path.of("/home/nobody"));

        assertThat(files).containsExactly(dir.resolve("multi-file/m1.yaml"), dir.resolve("multi-file/m2.yaml"));
    }

    @Test
    void withoutFlagOrVariableTheHomeConfigIsUsed() {
        assertThat(KubeconfigRewriter.files(Optional.empty(), null, Path.of("/home/ada")))
                .containsExactly(Path.of("/home/ada/.kube/config"));
    }

    @Test
    void theCheckReportsACertificateWithoutTheVip() throws Exception {
        Path f = copyFixtures().resolve("multi.yaml");
        KubeconfigRewriter.Plan plan = KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.Cluster("prod"), "127.0.0.1", null, null, Map.of())));
        ServedCertificate cert = new ServedCertificate("CN=kube-apiserver", List.of(
                new ServedCertificate.SubjectAltName(ServedCertificate.SubjectAltName.Type.DNS, "kubernetes")), Instant.EPOCH);

        List<KubeconfigRewriter.CheckResult> results = KubeconfigRewriter.check(plan, (host, port) -> cert);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.endpoint().server()).isEqualTo(new HostPort("127.0.0.1", 6443));
        });
    }

    @Test
    void insecureClustersAreNotChecked() throws Exception {
        Path f = copyFixtures().resolve("multi.yaml");
        KubeconfigRewriter.Plan plan = KubeconfigRewriter.plan(List.of(f), request(new Shape("", List.of(),
                new KubeconfigRewriter.Selection.Cluster("kind-kind"), "127.0.0.1", null, null, Map.of())));

        List<KubeconfigRewriter.CheckResult> results = KubeconfigRewriter.check(plan, (host, port) -> {
            throw new AssertionError("must not connect");
        });

        assertThat(results).isEmpty();
    }

    private static KubeconfigRewriter.Request request(Shape s) {
        InetAddress vip = IpAddresses.parse(s.vip()).orElseThrow();
        return new KubeconfigRewriter.Request(vip, s.port() == null ? OptionalInt.empty() : OptionalInt.of(s.port()),
                s.selection(), Optional.ofNullable(s.tlsServerName()));
    }

    private static void set(String kubectl, List<Path> files, Path dir, String property, String value) throws Exception {
        Tools.Run r = Tools.run(kubeconfigEnv(files), dir, kubectl, "config", "set", property, value);
        assertThat(r.exitCode()).as("kubectl config set: " + r.stderr()).isZero();
    }

    private String view(String kubectl, List<Path> files) throws Exception {
        Tools.Run r = Tools.run(kubeconfigEnv(files), null, kubectl, "config", "view", "--raw", "-o", "json");
        assertThat(r.exitCode()).as("kubectl config view: " + r.stderr()).isZero();
        return r.stdout();
    }

    private static Map<String, String> kubeconfigEnv(List<Path> files) {
        return Map.of("KUBECONFIG", String.join(":", files.stream().map(Path::toString).toList()), "HOME", "/nonexistent");
    }

    /** Copies the fixture tree into the temp dir (relative CA paths must keep working). */
    private Path copyFixtures() throws IOException {
        Path dir = tmp.resolve("kc");
        for (String rel : List.of("multi.yaml", "exec-ext.yaml", "ipv6.yaml", "flow.json", "file-ca/config",
                "file-ca/pki/ca.crt", "file-ca/pki/admin.crt", "file-ca/pki/admin.key", "multi-file/m1.yaml",
                "multi-file/m2.yaml", "not-kubeconfig.yaml", "broken.yaml")) {
            Path target = dir.resolve(rel);
            Files.createDirectories(target.getParent());
            try (InputStream in = KubeconfigRewriterTest.class.getResourceAsStream("/kube/kubeconfig/" + rel)) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException("missing fixture " + rel));
                }
                Files.copy(in, target);
            }
        }
        return dir;
    }
}
