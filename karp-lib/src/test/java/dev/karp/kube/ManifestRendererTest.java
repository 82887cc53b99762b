package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.net.Cidr;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestRendererTest {
    private static ManifestSettings.Builder settings() {
        return ManifestSettings.builder().vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret"));
    }

    private static List<HasMetadata> rendered(ManifestSettings.Builder b) {
        return StrictModel.read(ManifestRenderer.toYaml(ManifestRenderer.render(b.build())));
    }

    private static DaemonSet daemonSet(ManifestSettings.Builder b) {
        return rendered(b).stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow();
    }

    private static Container container(ManifestSettings.Builder b) {
        return daemonSet(b).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void defaultsRenderASecretAndADaemonSetInKubeSystemThatTheModelReadsStrictly() {
        List<HasMetadata> docs = rendered(settings());

        assertThat(docs).extracting(HasMetadata::getKind).containsExactly("Secret", "DaemonSet");
        assertThat(docs).allSatisfy(d -> assertThat(d.getMetadata().getNamespace()).isEqualTo("kube-system"));
    }

    @Test
    void everySettingChangedStillReadsStrictly() {
        ManifestSettings.Builder b = settings().interfaceName("eth1").vhid(42).advbase(2).advskew(100).preempt(true)
                .image("registry.local:5000/karp:dev").imagePullPolicy("Always").addImagePullSecret("regcred")
                .name("karp-api").namespace("karp-system").putNodeSelector("node-role.kubernetes.io/lb", "true")
                .addToleration(Map.of("operator", "Exists", "effect", "NoExecute")).memoryRequest("128Mi")
                .memoryLimit("300Mi").cpuRequest("50m").addExtraArg("--debug").putAnnotation("keel.sh/policy", "all")
                .putPodAnnotation("prometheus.io/scrape", "true").podSecurityContext(Map.of("sysctls", List.of()));

        List<HasMetadata> docs = rendered(b);

        assertThat(docs).extracting(HasMetadata::getKind).containsExactly("Namespace", "Secret", "DaemonSet");
    }

    @Test
    void theStaticPodReadsStrictlyAndTakesThePasswordFromTheHost() {
        List<HasMetadata> docs = rendered(ManifestSettings.builder().vip(Cidr.parse("192.168.1.100/24"))
                .password(new PasswordSource.HostFile("/etc/karp/password")).staticPod(true));

        assertThat(docs).singleElement().isInstanceOf(Pod.class);
        PodSpec spec = ((Pod) docs.get(0)).getSpec();
        assertThat(spec.getVolumes().get(0).getHostPath().getPath()).isEqualTo("/etc/karp/password");
        assertThat(spec.getVolumes().get(0).getHostPath().getType()).isEqualTo("File");
        assertThat(spec.getContainers().get(0).getVolumeMounts().get(0).getMountPath()).isEqualTo("/etc/karp/password");
        assertThat(spec.getPriority()).isEqualTo(2000001000);
        assertThat(spec.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(spec.getHostNetwork()).isTrue();
        assertThat(spec.getAffinity()).isNull();
    }

    @Test
    void theNamespaceIsLabelledPrivilegedForPodSecurity() {
        Namespace ns = (Namespace) rendered(settings().namespace("karp-system")).get(0);

        assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    }

    @Test
    void kubeSystemGetsNoNamespaceDocumentEvenWhenAsked() {
        assertThatThrownBy(() -> settings().createNamespace(true).build())
                .hasMessageStartingWith("--create-namespace: kube-system always exists");
    }

    @Test
    void thePasswordIsAFileFromTheSecretAndNeverAnEnvValue() {
        List<HasMetadata> docs = rendered(settings());
        Secret secret = (Secret) docs.get(0);
        DaemonSet ds = (DaemonSet) docs.get(1);
        PodSpec spec = ds.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().get(0);

        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(spec.getVolumes().get(0).getSecret().getSecretName()).isEqualTo(secret.getMetadata().getName());
        assertThat(spec.getVolumes().get(0).getSecret().getDefaultMode()).isEqualTo(0400);
        assertThat(c.getVolumeMounts().get(0).getMountPath()).isEqualTo("/etc/karp");
        assertThat(c.getVolumeMounts().get(0).getReadOnly()).isTrue();
        assertThat(c.getArgs()).contains("--password-file=/etc/karp/password").noneMatch(a -> a.contains("s3cret"));
        assertThat(c.getEnv()).isEmpty();
    }

    @Test
    void anExistingSecretIsReferencedAndNoneIsRendered() {
        List<HasMetadata> docs = rendered(settings().password(new PasswordSource.ExistingSecret("my-karp")));

        assertThat(docs).extracting(HasMetadata::getKind).containsExactly("DaemonSet");
        assertThat(((DaemonSet) docs.get(0)).getSpec().getTemplate().getSpec().getVolumes().get(0).getSecret().getSecretName())
                .isEqualTo("my-karp");
    }

    @Test
    void theContainerHasOnlyNetAdminAndNetRawOnAReadOnlyRootWithAWritableTmp() {
        Container c = container(settings());

        assertThat(c.getSecurityContext().getPrivileged()).isFalse();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void memoryHasARequestAndALimitButCpuHasNoLimit() {
        Container c = container(settings());

        assertThat(c.getResources().getRequests()).containsKeys("memory", "cpu");
        assertThat(c.getResources().getLimits()).containsOnlyKeys("memory");
    }

    @Test
    void podsGoToNodesWithEitherControlPlaneLabelWhateverItsValue() {
        PodSpec spec = daemonSet(settings()).getSpec().getTemplate().getSpec();

        var terms = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).flatExtracting(t -> t.getMatchExpressions()).extracting(NodeSelectorRequirement::getKey,
                NodeSelectorRequirement::getOperator).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("node-role.kubernetes.io/control-plane", "Exists"),
                        org.assertj.core.groups.Tuple.tuple("node-role.kubernetes.io/master", "Exists"));
        assertThat(spec.getNodeSelector()).isEmpty();
        assertThat(spec.getTolerations()).extracting(Toleration::getKey).contains(
                "node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master");
    }

    @Test
    void aNodeSelectorReplacesTheControlPlaneAffinity() {
        PodSpec spec = daemonSet(settings().putNodeSelector("karp", "yes")).getSpec().getTemplate().getSpec();

        assertThat(spec.getAffinity()).isNull();
        assertThat(spec.getNodeSelector()).containsExactly(Map.entry("karp", "yes"));
    }

    @Test
    void rolloutReplacesOnePodAtATimeWithoutSurge() {
        DaemonSet ds = daemonSet(settings());

        assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    }

    @Test
    void thePodIsNodeCriticalOnTheHostNetworkWithAGraceLongerThanTheBowOut() {
        PodSpec spec = daemonSet(settings()).getSpec().getTemplate().getSpec();

        assertThat(spec.getHostNetwork()).isTrue();
        assertThat(spec.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(spec.getTerminationGracePeriodSeconds()).isGreaterThan(1L);
    }

    @Test
    void livenessAndReadinessGetHealthzOnTheStatusEndpointWithoutStartingAProcess() {
        assertGetsHealthzOnLoopback(container(settings()));
    }

    @Test
    void theStaticPodIsProbedTheSameWay() {
        List<HasMetadata> docs = rendered(ManifestSettings.builder().vip(Cidr.parse("192.168.1.100/24"))
                .password(new PasswordSource.HostFile("/etc/karp/password")).staticPod(true));

        assertGetsHealthzOnLoopback(((Pod) docs.get(0)).getSpec().getContainers().get(0));
    }

    private static void assertGetsHealthzOnLoopback(Container c) {
        for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
            assertThat(p.getExec()).isNull();
            assertThat(p.getHttpGet().getHost()).isEqualTo("127.0.0.1");
            assertThat(p.getHttpGet().getPort().getIntVal()).isEqualTo(9241);
            assertThat(p.getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTP");
        }
    }

    @Test
    void runArgumentsCarryEverySettingInOrder() {
        Container c = container(settings().interfaceName("eth1").vhid(42).advbase(2).advskew(100).preempt(true)
                .addExtraArg("--deadratio=4"));

        assertThat(c.getCommand()).containsExactly("karp");
        assertThat(c.getArgs()).containsExactly("run", "--vip=192.168.1.100/24", "--vhid=42", "--advbase=2",
                "--advskew=100", "--preempt", "--password-file=/etc/karp/password", "--interface=eth1",
                "--health-url=https://127.0.0.1:6443/readyz", "--deadratio=4");
    }

    @Test
    void byDefaultTheNodeProbesItsOwnApiServer() {
        assertThat(container(settings()).getArgs()).contains("--health-url=https://127.0.0.1:6443/readyz");
    }

    @Test
    void withoutAHealthUrlThereIsNoHealthCheck() {
        assertThat(container(settings().healthUrl(null)).getArgs()).noneMatch(a -> a.startsWith("--health"));
    }

    @Test
    void anotherHealthUrlIsPassedOn() {
        assertThat(container(settings().healthUrl("https://127.0.0.1:9345/ping")).getArgs())
                .contains("--health-url=https://127.0.0.1:9345/ping");
    }

    @Test
    void aHealthUrlThatIsNotHttpIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> settings().healthUrl("127.0.0.1:6443").build())
                .hasMessage("--health-url 127.0.0.1:6443 is not an http:// or https:// URL with a host (expected e.g."
                        + " https://127.0.0.1:6443/readyz, or off)");
    }

    @Test
    void theFastProfileAdvertisesEvery51Milliseconds() {
        assertThat(container(settings().profile("fast")).getArgs()).containsSubsequence("--advbase=0", "--advskew=13");
    }

    @Test
    void atAdvbaseZeroTheContainerMayRaiseItsSchedulingPriority() {
        assertThat(container(settings().profile("fast")).getSecurityContext().getCapabilities().getAdd())
                .containsExactly("NET_ADMIN", "NET_RAW", "SYS_NICE");
    }

    @Test
    void anAdvskewAfterTheProfileWins() {
        assertThat(container(settings().profile("fast").advskew(20)).getArgs())
                .containsSubsequence("--advbase=0", "--advskew=20");
    }

    @Test
    void anUnknownProfileIsRefused() {
        assertThatThrownBy(() -> settings().profile("turbo")).hasMessage("--profile turbo is not known (expected: fast)");
    }

    @Test
    void withoutAnInterfaceKarpPicksTheDefaultRouteOneOnEachNode() {
        assertThat(container(settings()).getArgs()).noneMatch(a -> a.startsWith("--interface"));
    }

    @Test
    void jsonIsAListOfTheSameObjects() throws Exception {
        var docs = ManifestRenderer.render(settings().build());

        JsonNode list = new ObjectMapper().readTree(ManifestRenderer.toJson(docs));

        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(list.get("items")).hasSize(2);
        assertThat(list.get("items").get(1)).isEqualTo(new ObjectMapper().valueToTree(docs.get(1)));
        for (JsonNode item : list.get("items")) {
            StrictModel.readOne(item.toString());
        }
    }

    @Test
    void labelValuesThatLookLikeBooleansStayStrings() {
        DaemonSet ds = daemonSet(settings().putNodeSelector("node-role.kubernetes.io/control-plane", "true"));

        assertThat(ds.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry("node-role.kubernetes.io/control-plane", "true");
    }

    @Test
    void theVersionLabelIsTheImageTag() {
        assertThat(daemonSet(settings().image("example.org/karp:1.2.3")).getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/version", "1.2.3");
        assertThat(ManifestRenderer.imageTag("example.org:5000/karp")).isEqualTo("latest");
        assertThat(ManifestRenderer.imageTag("karp@sha256:abc")).isEqualTo("latest");
    }

    @Test
    void settingsNameTheOptionAtFault() {
        assertThatThrownBy(() -> settings().advskew(300).build()).hasMessage("--advskew 300 is out of range (expected: 0..255)");
        assertThatThrownBy(() -> settings().vhid(0).build()).hasMessage("--vhid 0 is out of range (expected: 1..255)");
        assertThatThrownBy(() -> settings().advbase(0).build())
                .hasMessage("--advbase 0 needs --advskew above 0 (the advert interval would be 0)");
        assertThatThrownBy(() -> settings().name("Karp_X").build()).hasMessageStartingWith("--name Karp_X is not a valid name");
        assertThatThrownBy(() -> settings().memoryLimit("lots").build())
                .hasMessage("--memory-limit lots is not a quantity (expected: e.g. 128Mi or 25m)");
        assertThatThrownBy(() -> ManifestSettings.builder().password(new PasswordSource.Literal("x")).build())
                .hasMessage("--vip is required (expected: CIDR such as 192.168.1.100/24)");
        assertThatThrownBy(() -> new PasswordSource.Literal("01234567890123456789"))
                .hasMessage("the password is 20 bytes long (expected: 1..19 bytes, the UCarp limit)");
    }

    @Test
    void theDefaultImageIsTheReleaseOfThisVersion() {
        assertThat(KarpImage.DEFAULT).isEqualTo("docker.io/karpdev/karp:" + KarpImage.TAG);
        assertThat(KarpImage.TAG).doesNotContain("SNAPSHOT").isEqualTo(KarpImage.releaseVersion(KarpImage.projectVersion()));
        assertThat(KarpImage.withRegistry("docker.io/karpdev/karp:0.1.0", "registry.local:5000"))
                .isEqualTo("registry.local:5000/karpdev/karp:0.1.0");
        assertThat(KarpImage.withRegistry("karpdev/karp:0.1.0", "mirror.example.com/"))
                .isEqualTo("mirror.example.com/karpdev/karp:0.1.0");
    }
}
