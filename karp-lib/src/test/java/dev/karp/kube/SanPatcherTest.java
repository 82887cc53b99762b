package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code san patch --file} on sample configs of each distribution: the result parses, holds the VIP once,
 * everything else is unchanged (compared as parsed YAML, and every original line and comment is still
 * there), and a second run changes nothing.
 */
class SanPatcherTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A sample file, the name it is edited under, the document and the list that must gain the VIP. */
    record Sample(Distro distro, String fixture, String editedAs, int document, List<String> path, String vip) {
        @Override
        public String toString() {
            return distro.cliName() + " " + fixture + " as " + editedAs + " + " + vip;
        }
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                new Sample(Distro.RKE, "rke-cluster.yml", "cluster.yml", 0, List.of("authentication", "sans"), "192.168.1.100"),
                new Sample(Distro.RKE, "rke-cluster-sans.yml", "cluster.yml", 0, List.of("authentication", "sans"), "192.168.1.100"),
                new Sample(Distro.RKE2, "rke2-config.yaml", "/etc/rancher/rke2/config.yaml", 0, List.of("tls-san"), "192.168.1.100"),
                new Sample(Distro.RKE2, "rke2-config.yaml", "/etc/rancher/rke2/config.yaml", 0, List.of("tls-san"), "fd00::100"),
                new Sample(Distro.K3S, "k3s-config.yaml", "/etc/rancher/k3s/config.yaml", 0, List.of("tls-san"), "192.168.1.100"),
                new Sample(Distro.K3S, "k3s-config-scalar.yaml", "/etc/rancher/k3s/config.yaml", 0, List.of("tls-san"), "192.168.1.100"),
                new Sample(Distro.K3S, "rke2-config.yaml", "/etc/rancher/k3s/config.yaml.d/90-karp.yaml", 0, List.of("tls-san+"), "192.168.1.100"),
                new Sample(Distro.KUBEADM, "kubeadm-clusterconfiguration.yaml", "kubeadm.yaml", 0, List.of("apiServer", "certSANs"), "192.168.1.100"),
                new Sample(Distro.KUBEADM, "kubeadm-multidoc.yaml", "kubeadm.yaml", 1, List.of("apiServer", "certSANs"), "192.168.1.100"),
                new Sample(Distro.TALOS, "talos-controlplane.yaml", "controlplane.yaml", 0, List.of("cluster", "apiServer", "certSANs"), "192.168.1.100"),
                new Sample(Distro.TALOS, "talos-no-apiserver.yaml", "controlplane.yaml", 0, List.of("cluster", "apiServer", "certSANs"), "fd00::100"),
                new Sample(Distro.K0S, "k0s.yaml", "/etc/k0s/k0s.yaml", 0, List.of("spec", "api", "sans"), "192.168.1.100"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theResultParsesAndHoldsTheVipOnceWithEverythingElseUnchanged(Sample s) throws IOException {
        String before = fixture(s.fixture());
        InetAddress vip = IpAddresses.parse(s.vip()).orElseThrow();

        SanPatcher.Patched patched = SanPatcher.patch(s.distro(), Path.of(s.editedAs()), before, vip);

        assertThat(patched.changed()).isTrue();
        List<JsonNode> docsBefore = documents(before);
        List<JsonNode> docsAfter = documents(patched.text());
        assertThat(docsAfter).hasSameSizeAs(docsBefore);
        JsonNode list = at(docsAfter.get(s.document()), s.path());
        assertThat(list.isArray()).as("%s is a list", s.path()).isTrue();
        assertThat(countVip(list, vip)).isEqualTo(1);
        List<JsonNode> withoutVip = new ArrayList<>(docsAfter);
        withoutVip.set(s.document(), removeVip(docsAfter.get(s.document()), docsBefore.get(s.document()), s.path(), vip));
        assertThat(withoutVip).isEqualTo(docsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyOriginalCommentStays(Sample s) throws IOException {
        String before = fixture(s.fixture());

        String after = SanPatcher.patch(s.distro(), Path.of(s.editedAs()), before, IpAddresses.parse(s.vip()).orElseThrow()).text();

        for (String line : before.lines().toList()) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                assertThat(after).contains(line.substring(hash));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void aSecondRunChangesNothing(Sample s) throws IOException {
        InetAddress vip = IpAddresses.parse(s.vip()).orElseThrow();
        String once = SanPatcher.patch(s.distro(), Path.of(s.editedAs()), fixture(s.fixture()), vip).text();

        SanPatcher.Patched twice = SanPatcher.patch(s.distro(), Path.of(s.editedAs()), once, vip);

        assertThat(twice.changed()).isFalse();
        assertThat(twice.text()).isEqualTo(once);
        assertThat(twice.summary()).contains("is already in");
    }

    @Test
    void blockListsGainOneLineInTheirOwnStyle() throws IOException {
        String before = fixture("rke-cluster-sans.yml");

        String after = SanPatcher.patch(Distro.RKE, Path.of("cluster.yml"), before, IpAddresses.parse("192.168.1.100").orElseThrow()).text();

        assertThat(UnifiedDiff.of("cluster.yml", before, after)).isEqualTo("""
                --- a/cluster.yml
                +++ b/cluster.yml
                @@ -7,4 +7,5 @@
                   sans:
                     - "api.lab.example.com"   # the DNS name users know
                     - "192.168.1.10"
                +    - "192.168.1.100"
                 # end of file
                """);
    }

    @Test
    void flowListsGainAnItemOnTheSameLine() throws IOException {
        String after = SanPatcher.patch(Distro.KUBEADM, Path.of("kubeadm.yaml"), fixture("kubeadm-multidoc.yaml"),
                IpAddresses.parse("192.168.1.100").orElseThrow()).text();

        assertThat(after).contains("  certSANs: [\"192.168.1.11\", \"cp1.lab.example.com\", \"192.168.1.100\"]   # existing SANs\n");
    }

    @Test
    void aVipWrittenDifferentlyCountsAsTheSame() throws IOException {
        String before = fixture("k0s.yaml");

        SanPatcher.Patched p = SanPatcher.patch(Distro.K0S, Path.of("k0s.yaml"), before, IpAddresses.parse("fe80:0:0:0:1:2:3:4").orElseThrow());

        assertThat(p.changed()).isFalse();
    }

    @Test
    void aNewDropInHoldsOnlyTheAppendingKey() {
        SanPatcher.Patched p = SanPatcher.patch(Distro.RKE2, Path.of("/etc/rancher/rke2/config.yaml.d/90-karp.yaml"), "",
                IpAddresses.parse("192.168.1.100").orElseThrow());

        assertThat(p.text()).isEqualTo("""
                # Added by karp san patch: the VIP as an extra SAN of the API server certificate.
                tls-san+:
                  - "192.168.1.100"
                """);
    }

    @Test
    void microK8sTemplateGainsAHighNumberedIpBeforeTheHostAddresses() throws IOException {
        String before = fixture("microk8s-csr.conf.template");

        SanPatcher.Patched p = SanPatcher.patch(Distro.MICROK8S, Path.of("csr.conf.template"), before,
                IpAddresses.parse("192.168.1.100").orElseThrow());

        assertThat(UnifiedDiff.of("t", before, p.text())).contains("""
                 IP.2 = 10.152.183.1
                +IP.100 = 192.168.1.100
                 #MOREIPS
                """);
        assertThat(p.text().replace("IP.100 = 192.168.1.100\n", "")).isEqualTo(before);
        assertThat(SanPatcher.patch(Distro.MICROK8S, Path.of("csr.conf.template"), p.text(),
                IpAddresses.parse("192.168.1.100").orElseThrow()).changed()).isFalse();
    }

    @Test
    void microK8sNumbersPastTheHighestTakenIndex() throws IOException {
        String before = fixture("microk8s-csr.conf.template").replace("#MOREIPS", "IP.100 = 192.168.1.99\n#MOREIPS");

        SanPatcher.Patched p = SanPatcher.patch(Distro.MICROK8S, Path.of("csr.conf.template"), before,
                IpAddresses.parse("fd00::100").orElseThrow());

        assertThat(p.text()).contains("IP.100 = 192.168.1.99\nIP.101 = fd00::100\n#MOREIPS");
    }

    @Test
    void aKubeadmFileWithoutClusterConfigurationIsAnError() {
        String text = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n---\napiVersion: v1\nkind: JoinConfiguration\n";

        assertThatThrownBy(() -> SanPatcher.patch(Distro.KUBEADM, Path.of("k.yaml"), text, IpAddresses.parse("10.0.0.1").orElseThrow()))
                .hasMessage("k.yaml holds 2 YAML documents but not a document with kind: ClusterConfiguration");
    }

    @Test
    void aListThatIsAMappingIsAnErrorNamingTheKey() {
        String text = "apiServer:\n  certSANs:\n    a: b\n";

        assertThatThrownBy(() -> SanPatcher.patch(Distro.KUBEADM, Path.of("k.yaml"), text, IpAddresses.parse("10.0.0.1").orElseThrow()))
                .hasMessage("k.yaml: expected a list at apiServer.certSANs, found a mapping at line 3");
    }

    @Test
    void instructionsNameTheFileTheKeyAndTheStepsForEachDistribution() {
        InetAddress vip = IpAddresses.parse("192.168.1.100").orElseThrow();

        assertThat(SanPatcher.instructions(Distro.RKE, vip)).contains("authentication:", "sans:", "- \"192.168.1.100\"", "rke up");
        assertThat(SanPatcher.instructions(Distro.RKE2, vip)).contains("/etc/rancher/rke2/config.yaml.d/90-karp.yaml",
                "tls-san+:", "systemctl restart rke2-server");
        assertThat(SanPatcher.instructions(Distro.K3S, vip)).contains("/etc/rancher/k3s/config.yaml.d/90-karp.yaml",
                "systemctl restart k3s");
        assertThat(SanPatcher.instructions(Distro.KUBEADM, vip)).contains("certSANs:",
                "kubeadm init phase certs apiserver --config kubeadm.yaml", "mv /etc/kubernetes/pki/apiserver.crt",
                "kubeadm init phase upload-config kubeadm");
        assertThat(SanPatcher.instructions(Distro.TALOS, vip)).contains("cluster:", "apiServer:", "certSANs:",
                "talosctl patch machineconfig");
        assertThat(SanPatcher.instructions(Distro.K0S, vip)).contains("spec:", "sans:", "k0s stop && sudo k0s start");
        assertThat(SanPatcher.instructions(Distro.MICROK8S, vip)).contains("IP.100 = 192.168.1.100",
                "microk8s refresh-certs --cert server.crt", ":16443");
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = SanPatcherTest.class.getResourceAsStream("/kube/san/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<JsonNode> documents(String text) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    private static JsonNode at(JsonNode doc, List<String> path) {
        JsonNode n = doc;
        for (String k : path) {
            n = n.path(k);
        }
        return n;
    }

    private static long countVip(JsonNode list, InetAddress vip) {
        long n = 0;
        for (JsonNode item : list) {
            if (IpAddresses.parse(item.asText()).map(vip::equals).orElse(false)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The edited document with the VIP taken out again, and with the containers the edit created (absent
     * before) removed; a one-value scalar turned into a list goes back to that scalar.
     */
    private static JsonNode removeVip(JsonNode after, JsonNode before, List<String> path, InetAddress vip) {
        JsonNode copy = after.deepCopy();
        ArrayNode list = (ArrayNode) at(copy, path);
        for (Iterator<JsonNode> it = list.iterator(); it.hasNext(); ) {
            if (IpAddresses.parse(it.next().asText()).map(vip::equals).orElse(false)) {
                it.remove();
            }
        }
        JsonNode old = at(before, path);
        ObjectNode parent = (ObjectNode) at(copy, path.subList(0, path.size() - 1));
        if (old.isTextual()) {
            parent.set(path.get(path.size() - 1), old);
        }
        for (int depth = path.size(); depth >= 1; depth--) {
            List<String> p = path.subList(0, depth);
            JsonNode node = at(copy, p);
            boolean existedBefore = !at(before, p).isMissingNode();
            if (!existedBefore && node.isEmpty()) {
                ((ObjectNode) at(copy, p.subList(0, depth - 1))).remove(p.get(depth - 1));
            }
        }
        return copy;
    }

    @Test
    void instructionsForSeveralVipsRepeatEachListItemAndVipFlag() {
        InetAddress v4 = IpAddresses.parse("192.168.1.100").orElseThrow();
        InetAddress v6 = IpAddresses.parse("fd00:200:0::100").orElseThrow();
        for (Distro d : Distro.values()) {
            String one = SanPatcher.instructions(d, v4);
            String two = SanPatcher.instructions(d, List.of(v4, v6));

            assertThat(SanPatcher.instructions(d, List.of(v4))).isEqualTo(one);
            assertThat(two).as(d.cliName()).contains("--vip 192.168.1.100 --vip fd00:200::100")
                    .doesNotContain("--vip 192.168.1.100\n").doesNotContain("@VIP@");
            if (d != Distro.MICROK8S) {
                assertThat(two).as(d.cliName()).contains("- \"192.168.1.100\"\n", "- \"fd00:200::100\"\n");
            }
        }
    }
}
