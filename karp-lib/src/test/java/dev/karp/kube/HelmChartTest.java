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
import io.fabric8.kubernetes.api.model.ConfigMap;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @ParameterizedTest
    @ValueSource(strings = {"ucarp", "migrate", "strict", "Strict"})
    void eachAuthModeEqualsRenderManifestWithTheSame(String mode) throws IOException {
        String chartOut = template(Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret",
                "auth", mode), null);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(ManifestSettings.builder()
                .vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret")).auth(mode).build()));

        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        assertThat(container(chartOut).getArgs()).contains("--auth=" + mode.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void anEmptyAuthRendersNoneInTheChartAsInRenderManifest() throws IOException {
        String out = sameAsRenderManifest("envVars: {virtualIp: 192.168.1.100, password: s3cret}\nauth: \"\"\n");

        assertThat(container(out).getArgs()).noneMatch(a -> a.startsWith("--auth"));
    }

    @Test
    void authWithGroupsAndExtraArgumentsEqualsRenderManifest() throws IOException {
        String out = sameAsRenderManifest("""
                envVars: {password: s3cret, extraFlags: "--deadratio=4"}
                auth: migrate
                extraArgs: ["--shutdown"]
                peers: [10.0.0.11, 10.0.0.12]
                groups:
                  - {vhid: 10, vip: 192.168.1.100/24}
                  - {vhid: 11, vip: 192.168.1.101/24, advskew: 100}
                """);

        assertThat(container(out).getArgs()).containsExactly("run", "--config=/etc/karp-config/karp.yaml",
                "--peer=10.0.0.11", "--peer=10.0.0.12", "--health-url=https://127.0.0.1:6443/readyz", "--auth=migrate",
                "--deadratio=4", "--shutdown");
    }

    @Test
    void theChartRefusesABadAuthAndASecondAuthAsRenderManifestDoes() throws IOException {
        Map<String, String> base = Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret");
        assertThatThrownBy(() -> template(with(base, "auth", "hmac"), null))
                .hasMessageContaining("auth hmac is not known (expected: ucarp, migrate or strict, or empty)");
        assertThatThrownBy(() -> ChartValues.apply("auth: hmac\n", "values.yaml", ManifestSettings.builder()))
                .hasMessage("values: auth hmac is not known (expected: ucarp, migrate or strict, or empty)");
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, "envVars: {virtualIp: 192.168.1.100, password: s3cret}\nauth: false\n");
        assertThatThrownBy(() -> template(Map.of(), values))
                .hasMessageContaining("auth false is not known (expected: ucarp, migrate or strict, or empty)");
        assertThatThrownBy(() -> ChartValues.apply("auth: false\n", "values.yaml", ManifestSettings.builder()))
                .hasMessage("values: auth false is not known (expected: ucarp, migrate or strict, or empty)");

        String conflict = "--auth strict and the extra argument --auth=migrate are both given (karp run refuses --auth"
                + " twice); drop the extra argument (--extra-arg, extraArgs or envVars.extraFlags) and give the mode"
                + " with --auth only (chart value auth)";
        assertThatThrownBy(() -> template(with(base, "auth", "strict", "envVars.extraFlags", "--debug --auth=migrate"),
                null)).hasMessageContaining(conflict);
        assertThatThrownBy(() -> template(with(base, "auth", "strict", "extraArgs[0]", "--auth=migrate"), null))
                .hasMessageContaining(conflict);
        ManifestSettings.Builder b = ManifestSettings.builder();
        ChartValues.apply("envVars: {virtualIp: 192.168.1.100, password: s3cret, extraFlags: \"--debug --auth=migrate\"}\n"
                + "auth: strict\n", "values.yaml", b);
        assertThatThrownBy(b::build).hasMessage(conflict);
    }

    @Test
    void theNotesSayWhatComesAfterMigrate() throws IOException {
        String migrate = notes(Map.of("envVars.password", "s3cret", "envVars.virtualIp", "192.168.1.100",
                "auth", "migrate"));
        String none = notes(Map.of("envVars.password", "s3cret", "envVars.virtualIp", "192.168.1.100"));

        assertThat(migrate).contains("auth is migrate, the step from ucarp to strict.",
                "kubectl -n kube-system rollout status daemonset/karp\n", "upgrade again with --set auth=strict.");
        assertThat(none).doesNotContain("auth is");
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

    /** A values file through the chart and through render-manifest's --values: the same objects. */
    private String sameAsRenderManifest(String valuesYaml) throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, valuesYaml);
        ManifestSettings.Builder b = ManifestSettings.builder();
        List<String> warnings = ChartValues.apply(valuesYaml, "values.yaml", b);

        String chartOut = template(Map.of(), values);
        String karpOut = ManifestRenderer.toYaml(ManifestRenderer.render(b.build()));

        assertThat(warnings).isEmpty();
        assertThat(objects(chartOut)).isEqualTo(objects(karpOut));
        StrictModel.read(chartOut);
        return chartOut;
    }

    private static Container container(String multiDoc) {
        return StrictModel.read(multiDoc).stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void aListOfVipsWithIpv6AndPeersEqualsRenderManifest() throws IOException {
        String out = sameAsRenderManifest("""
                envVars:
                  virtualIp: ["192.168.1.100", "fd00:10::100/64", "192.168.2.100/25"]
                  password: s3cret
                  interface: eth1
                peers: ["192.168.1.11", "192.168.1.12", "fd00:10::13"]
                """);

        assertThat(container(out).getArgs()).containsSubsequence("run", "--vip=192.168.1.100/24",
                "--vip=fd00:10::100/64", "--vip=192.168.2.100/25", "--vhid=10", "--interface=eth1",
                "--peer=192.168.1.11", "--peer=192.168.1.12", "--peer=fd00:10::13", "--health-url=https://127.0.0.1:6443/readyz");
    }

    @Test
    void peersMayBeOneCommaSeparatedStringAsWithSet() {
        String out = template(Map.of("envVars.virtualIp", "192.168.1.100", "envVars.password", "s3cret",
                "peers", "192.168.1.11,192.168.1.12"), null);

        assertThat(container(out).getArgs()).contains("--peer=192.168.1.11", "--peer=192.168.1.12");
    }

    @Test
    void anIpv6VipAloneWithItsPrefixEqualsRenderManifest() throws IOException {
        String out = sameAsRenderManifest("envVars: {virtualIp: \"fd00:10::100/64\", password: s3cret}\n");

        assertThat(container(out).getArgs()).contains("--vip=fd00:10::100/64");
    }

    @Test
    void groupsEqualRenderManifestWithTheSameConfigFileAndHash() throws IOException {
        String out = sameAsRenderManifest("""
                envVars: {password: s3cret, interface: eth0}
                preempt: true
                profile: fast
                podAnnotations: {prometheus.io/scrape: "true"}
                peers: [10.0.0.11, 10.0.0.12, 10.0.0.13]
                groups:
                  - {vhid: 10, vip: ["192.168.1.100/24", "fd00:10::100/64"]}
                  - {vhid: 11, vip: 192.168.1.101/24, advbase: 1, advskew: 100, preempt: false, interface: eth1}
                """);

        List<HasMetadata> docs = StrictModel.read(out);
        assertThat(docs).extracting(HasMetadata::getKind).containsExactly("Secret", "ConfigMap", "DaemonSet");
        String file = ((ConfigMap) docs.get(1)).getData().get("karp.yaml");
        assertThat(file).contains("advbase: 0\nadvskew: 13\npreempt: true\n", "  - vhid: 11\n", "    advskew: 100\n");
        assertThat(((DaemonSet) docs.get(2)).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("karp.dev/config-sha256", ManifestRenderer.sha256(file));
        assertThat(container(out).getArgs()).containsExactly("run", "--config=/etc/karp-config/karp.yaml",
                "--peer=10.0.0.11", "--peer=10.0.0.12", "--peer=10.0.0.13", "--health-url=https://127.0.0.1:6443/readyz");
        assertThat(container(out).getSecurityContext().getCapabilities().getAdd()).contains("SYS_NICE");
    }

    @Test
    void theChartRefusesWhatRenderManifestRefuses() {
        Map<String, String> base = Map.of("envVars.password", "s3cret");
        assertThatThrownBy(() -> template(Map.of("envVars.password", "s3cret", "envVars.virtualIp", "fd00::100"), null))
                .hasMessageContaining("envVars.virtualIp fd00::100 is IPv6 and has no prefix");
        assertThatThrownBy(() -> template(with(base, "groups[0].vhid", "2", "groups[0].vip", "10.0.0.2/24",
                "groups[1].vhid", "2", "groups[1].vip", "10.0.0.3/24"), null))
                .hasMessageContaining("vhid 2 is in two groups; every group needs its own vhid");
        assertThatThrownBy(() -> template(with(base, "groups[0].vhid", "2", "groups[0].vip", "10.0.0.2/24",
                "groups[1].vhid", "3", "groups[1].vip", "10.0.0.2/25"), null))
                .hasMessageContaining("VIP 10.0.0.2 is in the groups with vhid 2 and 3");
        assertThatThrownBy(() -> template(with(base, "groups[0].vhid", "2", "groups[0].vip", "10.0.0.2/24",
                "envVars.virtualIp", "10.0.0.9"), null))
                .hasMessageContaining("envVars.virtualIp and groups are both set");
        assertThatThrownBy(() -> template(with(base, "groups[0].vhid", "2", "groups[0].vip", "10.0.0.2/24",
                "groups[0].upscript", "/x"), null))
                .hasMessageContaining("groups[0]: unknown key 'upscript'");
        assertThatThrownBy(() -> template(with(base, "groups[0].vhid", "2", "groups[0].vip", "10.0.0.2"), null))
                .hasMessageContaining("groups[0]: vip 10.0.0.2 has no prefix length");
        assertThatThrownBy(() -> template(with(base, "envVars.virtualIp", "10.0.0.2", "peers[0]", "10.0.0.11"), null))
                .hasMessageContaining("peers has only 10.0.0.11");
    }

    @Test
    void theNotesNameEveryVipOfEveryGroupAndThePeers() throws IOException {
        String notes = notes(Map.of("envVars.password", "s3cret", "groups[0].vhid", "10", "groups[0].vip[0]",
                "192.168.1.100/24", "groups[0].vip[1]", "fd00:10::100/64", "groups[1].vhid", "11", "groups[1].vip",
                "192.168.1.101/24", "peers", "10.0.0.11,10.0.0.12"));
        String single = notes(Map.of("envVars.password", "s3cret", "envVars.virtualIp", "192.168.1.100"));

        assertThat(notes).contains("  192.168.1.100/24, fd00:10::100/64 (vhid 10) on the group's elected master\n",
                "  192.168.1.101/24 (vhid 11)", "Unicast mode: adverts go to 10.0.0.11, 10.0.0.12;",
                "--vip 192.168.1.100 --vip fd00:10::100 --vip 192.168.1.101\n",
                "karp kubeconfig rewrite --vip 192.168.1.100 --dry-run");
        assertThat(single).contains("and holds 192.168.1.100/24 (vhid 10) on the elected master.",
                "karp san check --server <control-plane-node>:6443 --vip 192.168.1.100\n").doesNotContain("Unicast");
    }

    /**
     * NOTES.txt as Helm renders it on install. An install, even a client dry run, asks a cluster for its version,
     * so a copy of the chart renders the notes' text into a ConfigMap that helm template prints.
     */
    private String notes(Map<String, String> sets) throws IOException {
        Path copy = Files.createTempDirectory(tmp, "chart-with-notes");
        try (var files = Files.walk(chart())) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(chart().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path notes = copy.resolve("templates/NOTES.txt");
        Files.writeString(copy.resolve("templates/_notes.tpl"),
                "{{- define \"test.notes\" -}}\n" + Files.readString(notes) + "\n{{- end -}}\n");
        Files.delete(notes);
        Files.writeString(copy.resolve("templates/notes.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\n"
                + "data:\n  notes: {{ include \"test.notes\" . | toJson }}\n");
        var t = new Helm(copy).template().withName("karp").withNamespace("kube-system");
        sets.forEach(t::set);
        return objects(t.call()).stream().filter(o -> o.at("/metadata/name").asText().equals("notes")).findFirst()
                .orElseThrow().at("/data/notes").asText();
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
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
