package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.karp.net.Cidr;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm chart in manifests/helm/karp, run through Helm itself (helm-java embeds it). */
class HelmChartTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Labels only Helm adds; everything else must equal karp render-manifest's output. */
    private static final List<String> HELM_ONLY_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");

    @TempDir
    Path tmp;

    private static Path chart() {
        return RepoFiles.manifests().resolve("helm/karp");
    }

    @Test
    void theChartLints() {
        LintResult result = new Helm(chart()).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void theChartVersionAndAppVersionAreKarpsVersion() throws IOException {
        JsonNode chart = YAML.readTree(chart().resolve("Chart.yaml").toFile());

        assertThat(chart.get("appVersion").asText()).isEqualTo(KarpImage.TAG);
        assertThat(chart.get("version").asText()).isEqualTo(KarpImage.TAG);
        assertThat(YAML.readTree(chart().resolve("values.yaml").toFile()).at("/image/repository").asText())
                .isEqualTo(KarpImage.REPOSITORY);
    }

    @Test
    void defaultOutputEqualsRenderManifestObjectByObject() throws IOException {
        String chartOut = template(Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret"), null);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(ManifestSettings.builder()
                .vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret")).build()));

        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        assertThat(StrictModel.read(chartOut)).extracting(HasMetadata::getKind).containsExactly("Secret", "DaemonSet");
    }

    @Test
    void everyChangedValueStillEqualsRenderManifestWithTheSameSettings() throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, """
                envVars:
                  virtualIp: 10.0.0.100
                  subnet: 16
                  interface: eth1
                  serverId: 42
                  password: s3cret
                  extraFlags: "--deadratio=4 --neutral"
                  debug: "yes"
                advbase: 2
                advskew: 100
                preempt: true
                image: {repository: registry.local/karp, tag: dev, pullPolicy: Always}
                imagePullSecrets: [{name: regcred}]
                setAnnotations: {keel.sh/policy: all}
                podAnnotations: {prometheus.io/scrape: "true"}
                nodeSelector: {node-role.kubernetes.io/lb: "true"}
                tolerations: [{operator: Exists, effect: NoExecute}]
                resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 300Mi}}
                extraArgs: ["--shutdown"]
                """);
        ManifestSettings.Builder b = ManifestSettings.builder();
        List<String> warnings = ChartValues.apply(Files.readString(values), "values.yaml", b);

        String chartOut = template(Map.of(), values);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(b.build()));

        assertThat(warnings).isEmpty();
        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        StrictModel.read(chartOut);
    }

    @Test
    void aKubeKarpValuesFileTemplatesToKarpsImageWithTheSameVipVhidAndPassword() throws IOException {
        Path values = tmp.resolve("kube-karp-values.yaml");
        try (InputStream in = HelmChartTest.class.getResourceAsStream("/kube/values/kube-karp-values.yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // The chart fails on passwords kube-karp would have cut; a migrating user gives the 16 it used.
            Files.writeString(values, text.replace("\"Pa55w0rdPa55w0rdXYZ\"", "\"Pa55w0rdPa55w0rd\""));
        }

        List<HasMetadata> docs = StrictModel.read(template(Map.of(), values));

        Secret secret = (Secret) docs.get(0);
        DaemonSet ds = (DaemonSet) docs.get(1);
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("Pa55w0rdPa55w0rd");
        assertThat(c.getArgs()).containsSubsequence("--vip=192.168.100.50/24", "--vhid=42", "--interface=enp1s0");
        assertThat(c.getImage()).isEqualTo(KarpImage.DEFAULT);
        assertThat(c.getResources().getLimits()).containsOnlyKeys("memory");
        assertThat(c.getEnv()).isEmpty();
        assertThat(ds.getMetadata().getName()).isEqualTo("kube-karp");
    }

    @Test
    void theFastProfileAndAnotherHealthUrlEqualRenderManifestWithTheSame() throws IOException {
        String chartOut = template(Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret",
                "profile", "fast", "healthUrl", "https://127.0.0.1:9345/ping"), null);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(ManifestSettings.builder()
                .vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret")).profile("fast")
                .healthUrl("https://127.0.0.1:9345/ping").build()));

        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        assertThat(chartOut).contains("\"--advbase=0\"", "\"--advskew=13\"", "\"SYS_NICE\"");
    }

    @Test
    void anEmptyHealthUrlEqualsRenderManifestWithoutAHealthCheck() throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, "envVars: {virtualIp: 192.168.1.100, password: s3cret}\nhealthUrl: \"\"\n");
        ManifestSettings.Builder b = ManifestSettings.builder();
        ChartValues.apply(Files.readString(values), "values.yaml", b);

        String chartOut = template(Map.of(), values);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(b.build()));

        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        assertThat(chartOut).doesNotContain("--health-url");
    }

    @Test
    void theProfileInAValuesFileReplacesAdvbaseAndAdvskewAsInTheChart() throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, "envVars: {virtualIp: 192.168.1.100, password: s3cret}\nadvbase: 2\nadvskew: 100\n"
                + "profile: fast\n");
        ManifestSettings.Builder b = ManifestSettings.builder();
        List<String> warnings = ChartValues.apply(Files.readString(values), "values.yaml", b);

        String chartOut = template(Map.of(), values);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(b.build()));

        assertThat(warnings).isEmpty();
        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        assertThat(b.build().advbase()).isZero();
    }

    @Test
    void advbaseZeroWithoutTheProfileAlsoGetsSysNiceAsRenderManifestDoes() throws IOException {
        String chartOut = template(Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret",
                "advbase", "0", "advskew", "20"), null);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(ManifestSettings.builder()
                .vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret")).advbase(0).advskew(20)
                .build()));

        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        assertThat(chartOut).contains("\"SYS_NICE\"");
    }

    @Test
    void anUnknownProfileFailsTheTemplate() {
        assertThatThrownBy(() -> template(Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret",
                "profile", "turbo"), null)).hasMessageContaining("profile turbo is not known (expected: fast, or empty)");
    }

    @Test
    void withoutAVipTheChartRefusesToTemplate() {
        assertThatThrownBy(() -> template(Map.of("envVars.password", "s3cret"), null))
                .hasMessageContaining("envVars.virtualIp is required");
    }

    @Test
    void withoutAPasswordTheChartRefusesInsteadOfGeneratingOne() {
        assertThatThrownBy(() -> template(Map.of("envVars.virtualIp", "192.168.1.100"), null))
                .hasMessageContaining("set envVars.password")
                .hasMessageContaining("karp never generates one");
    }

    @Test
    void anExistingSecretRendersNoSecret() throws IOException {
        String out = template(Map.of("envVars.virtualIp", "192.168.1.100", "existingSecret", "my-karp"), null);

        List<HasMetadata> docs = StrictModel.read(out);
        assertThat(docs).extracting(HasMetadata::getKind).containsExactly("DaemonSet");
        assertThat(((DaemonSet) docs.get(0)).getSpec().getTemplate().getSpec().getVolumes().get(0).getSecret().getSecretName())
                .isEqualTo("my-karp");
    }

    @Test
    void createNamespaceRendersItLabelledPrivileged() throws IOException {
        String chartOut = new Helm(chart()).template().withName("karp").withNamespace("karp-system")
                .set("envVars.virtualIp", "192.168.1.100").set("envVars.password", "s3cret").set("createNamespace", "true").call();
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(ManifestSettings.builder()
                .vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret")).namespace("karp-system").build()));

        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
    }

    private String template(Map<String, String> sets, Path valuesFile) {
        var t = new Helm(chart()).template().withName("karp").withNamespace("kube-system");
        sets.forEach(t::set);
        if (valuesFile != null) {
            t.withValuesFile(valuesFile);
        }
        return t.call();
    }

    /** The documents as JSON trees, without Helm's own labels and without empty documents. */
    static List<JsonNode> objects(String multiDoc) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(multiDoc)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                for (String path : List.of("/metadata/labels", "/spec/template/metadata/labels")) {
                    if (doc.at(path) instanceof ObjectNode labels) {
                        HELM_ONLY_LABELS.forEach(labels::remove);
                    }
                }
                out.add(JSON.readTree(JSON.writeValueAsString(doc)));
            }
        }
        return out;
    }
}
