package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kube-karp users migrate with their own values file: every value maps, or says why not. */
class ChartValuesTest {
    private static String kubeKarpValues() throws IOException {
        try (InputStream in = ChartValuesTest.class.getResourceAsStream("/kube/values/kube-karp-values.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aKubeKarpValuesFileRendersTheSameVipVhidPasswordAndInterface() throws IOException {
        ManifestSettings.Builder b = ManifestSettings.builder();

        ChartValues.apply(kubeKarpValues(), "values.yaml", b);
        List<HasMetadata> docs = StrictModel.read(ManifestRenderer.toYaml(ManifestRenderer.render(b.build())));

        Secret secret = (Secret) docs.get(0);
        DaemonSet ds = (DaemonSet) docs.get(1);
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("Pa55w0rdPa55w0rd");
        assertThat(c.getArgs()).containsExactly("run", "--vip=192.168.100.50/24", "--vhid=42", "--advbase=1",
                "--advskew=0", "--password-file=/etc/karp/password", "--interface=enp1s0",
                "--health-url=https://127.0.0.1:6443/readyz", "--advskew=20", "--deadratio=4", "--debug");
        assertThat(ds.getMetadata().getName()).isEqualTo("kube-karp");
        assertThat(ds.getMetadata().getAnnotations()).containsEntry("keel.sh/policy", "all");
        assertThat(ds.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting("name").containsExactly("regcred");
        assertThat(c.getImage()).isEqualTo(KarpImage.DEFAULT);
        assertThat(c.getResources().getLimits()).containsOnlyKeys("memory");
        assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("30m");
        assertThat(ds.getSpec().getTemplate().getSpec().getTolerations()).hasSize(5);
    }

    @Test
    void everyValueKarpDoesNotTakeOverAsWrittenGetsAWarning() throws IOException {
        List<String> warnings = ChartValues.apply(kubeKarpValues(), "values.yaml", ManifestSettings.builder());

        assertThat(warnings).containsExactly(
                "values: monitoring is not a kube-karp or karp chart value; ignored",
                "values: image immanuelfodor/kube-karp is kube-karp's (it runs ucarp); using " + KarpImage.DEFAULT + " instead",
                "values: envVars.password is longer than 16 characters; kube-karp used its first 16, and so does karp,"
                        + " so both elect together",
                "values: resources.limits.cpu 100m is dropped: CFS throttling delays karp's advert timer, and a late"
                        + " advert starts a failover",
                "values: resources.requests.memory 10Mi is below what karp's JVM needs; using 96Mi",
                "values: resources.limits.memory 100Mi is below what karp's JVM needs; using 256Mi");
    }

    @Test
    void aChangedSecurityContextIsReportedAsNotTakenOver() {
        List<String> warnings = ChartValues.apply("securityContext:\n  runAsUser: 1000\n", "v.yaml", ManifestSettings.builder());

        assertThat(warnings).singleElement().asString().startsWith("values: securityContext is not taken over");
    }

    @Test
    void karpsOwnChartValuesAreUnderstoodToo() {
        ManifestSettings.Builder b = ManifestSettings.builder().password(new PasswordSource.Literal("x"));

        List<String> warnings = ChartValues.apply("""
                envVars: {virtualIp: 10.0.0.100, subnet: 16}
                advbase: 2
                advskew: 7
                preempt: true
                existingSecret: karp-pass
                extraArgs: ["--neutral"]
                image: {repository: registry.local/karp, tag: dev}
                """, "v.yaml", b);

        ManifestSettings s = b.build();
        assertThat(warnings).isEmpty();
        assertThat(ManifestRenderer.runArgs(s)).containsExactly("run", "--vip=10.0.0.100/16", "--vhid=10", "--advbase=2",
                "--advskew=7", "--preempt", "--password-file=/etc/karp/password",
                "--health-url=https://127.0.0.1:6443/readyz", "--neutral");
        assertThat(s.password()).isEqualTo(new PasswordSource.ExistingSecret("karp-pass"));
        assertThat(s.image()).isEqualTo("registry.local/karp:dev");
    }

    @Test
    void aBadVipNamesTheValues() {
        assertThatThrownBy(() -> ChartValues.apply("envVars: {virtualIp: 192.168.1.300}\n", "v.yaml", ManifestSettings.builder()))
                .hasMessageStartingWith("values: envVars.virtualIp 192.168.1.300 and subnet  do not make a VIP: --vip 192.168.1.300");
    }

    @Test
    void aFileThatIsNotAMappingIsAnError() {
        assertThatThrownBy(() -> ChartValues.apply("- a\n- b\n", "v.yaml", ManifestSettings.builder()))
                .hasMessage("v.yaml is not a Helm values file (expected: a mapping at the top)");
    }

    @Test
    void virtualIpMayBeAListWithIpv6AndTheSubnetOnlyCompletesIpv4() {
        ManifestSettings.Builder b = ManifestSettings.builder().password(new PasswordSource.Literal("x"));

        List<String> warnings = ChartValues.apply("envVars: {virtualIp: [10.0.0.100, \"fd00:10::100/64\"], subnet: 16}\n"
                + "peers: 10.0.0.11,10.0.0.12\n", "values.yaml", b);

        assertThat(warnings).isEmpty();
        assertThat(b.build().vips()).extracting(Object::toString).containsExactly("10.0.0.100/16", "fd00:10::100/64");
        assertThat(b.build().peers()).extracting(a -> a.getHostAddress()).containsExactly("10.0.0.11", "10.0.0.12");
        assertThatThrownBy(() -> ChartValues.apply("envVars: {virtualIp: \"fd00:10::100\"}\n", "values.yaml",
                ManifestSettings.builder())).hasMessage("values: envVars.virtualIp fd00:10::100 is IPv6 and has no prefix:"
                        + " write it as fd00:10::100/64 (or the prefix of the node network); envVars.subnet is for IPv4");
    }

    @Test
    void groupsAndPeersInAValuesFileAreCheckedNamingTheItem() {
        assertThatThrownBy(() -> ChartValues.apply("groups:\n  - {vhid: 2, vip: 10.0.0.2/24}\n  - {vip: 10.0.0.3/24}\n",
                "values.yaml", ManifestSettings.builder()))
                .hasMessage("values: groups[1] has no vhid (expected: vhid=1..255, its own in every group)");
        assertThatThrownBy(() -> ChartValues.apply("groups: [{vhid: 2, vip: 10.0.0.2/24, upscript: /up.sh}]\n",
                "values.yaml", ManifestSettings.builder())).hasMessageStartingWith("values: groups[0]: unknown key 'upscript'");
        assertThatThrownBy(() -> ChartValues.apply("groups: [7]\n", "values.yaml", ManifestSettings.builder()))
                .hasMessage("values: groups[0] is not a mapping (expected: vhid: N, vip: CIDR or a list)");
        assertThatThrownBy(() -> ChartValues.apply("peers: [10.0.0.11, nodeB]\n", "values.yaml", ManifestSettings.builder()))
                .hasMessageStartingWith("values: peers: --peer nodeB is not an IP address");
    }

    @Test
    void authIsTheChartsValueAndEmptyMeansNoneRendered() {
        ManifestSettings.Builder b = ManifestSettings.builder().password(new PasswordSource.Literal("x"))
                .vip(dev.karp.net.Cidr.parse("10.0.0.100/24"));

        assertThat(ChartValues.apply("auth: migrate\n", "values.yaml", b)).isEmpty();
        assertThat(b.build().auth()).hasToString("migrate");
        assertThat(ChartValues.apply("auth: \"\"\n", "values.yaml", b)).isEmpty();
        assertThat(b.build().auth()).as("an empty value leaves what came before").hasToString("migrate");
        ManifestSettings.Builder fresh = ManifestSettings.builder().password(new PasswordSource.Literal("x"))
                .vip(dev.karp.net.Cidr.parse("10.0.0.100/24"));
        ChartValues.apply("auth:\n", "values.yaml", fresh);
        assertThat(fresh.build().auth()).isNull();
    }

    @Test
    void anUnknownAuthInAValuesFileIsRefusedAsTheChartRefusesIt() {
        assertThatThrownBy(() -> ChartValues.apply("auth: on\n", "values.yaml", ManifestSettings.builder()))
                .hasMessage("values: auth true is not known (expected: ucarp, migrate or strict, or empty)");
        assertThatThrownBy(() -> ChartValues.apply("auth: hmac\n", "values.yaml", ManifestSettings.builder()))
                .hasMessage("values: auth hmac is not known (expected: ucarp, migrate or strict, or empty)");
    }
}
