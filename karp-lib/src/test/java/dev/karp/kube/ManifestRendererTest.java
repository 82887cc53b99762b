package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.net.Cidr;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void withoutAuthNoneIsRenderedSoKarpRunKeepsItsDefault() {
        assertThat(container(settings()).getArgs()).noneMatch(a -> a.startsWith("--auth"));
        assertThat(settings().build().auth()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ucarp", "migrate", "strict"})
    void eachAuthModeIsAFlagAfterTheHealthUrlAndBeforeTheExtraArguments(String mode) {
        Container c = container(settings().auth(mode).addExtraArg("--deadratio=4"));

        assertThat(c.getArgs()).containsExactly("run", "--vip=192.168.1.100/24", "--vhid=10", "--advbase=1",
                "--advskew=0", "--password-file=/etc/karp/password", "--health-url=https://127.0.0.1:6443/readyz",
                "--auth=" + mode, "--deadratio=4");
    }

    @Test
    void anAuthModeIsWrittenInLowerCaseAsKarpRunNamesIt() {
        assertThat(container(settings().auth(" Strict")).getArgs()).contains("--auth=strict");
    }

    @Test
    void theStaticPodGetsTheAuthModeToo() {
        List<HasMetadata> docs = rendered(ManifestSettings.builder().vip(Cidr.parse("192.168.1.100/24"))
                .password(new PasswordSource.HostFile("/etc/karp/password")).staticPod(true).auth("migrate"));

        assertThat(((Pod) docs.get(0)).getSpec().getContainers().get(0).getArgs()).endsWith("--auth=migrate");
    }

    @Test
    void withGroupsTheAuthModeIsAFlagForEveryGroupNotALineOfTheConfigFile() {
        ManifestSettings s = twoGroups().auth("strict").build();

        assertThat(container(twoGroups().auth("strict")).getArgs()).containsExactly("run",
                "--config=/etc/karp-config/karp.yaml", "--health-url=https://127.0.0.1:6443/readyz", "--auth=strict");
        assertThat(ManifestRenderer.configFile(s)).doesNotContain("auth");
    }

    @Test
    void anUnknownAuthModeIsRefusedNamingTheModesThereAre() {
        assertThatThrownBy(() -> settings().auth("hmac"))
                .hasMessage("--auth hmac is not an authentication mode (expected: ucarp, migrate or strict)");
        assertThatThrownBy(() -> settings().auth(""))
                .hasMessage("--auth '' is not an authentication mode (expected: ucarp, migrate or strict)");
    }

    @Test
    void anAuthModeBesideAnExtraAuthArgumentIsRefusedBecauseKarpRunRefusesItTwice() {
        assertThatThrownBy(() -> settings().auth("strict").addExtraArg("--auth=migrate").build())
                .hasMessage("--auth strict and the extra argument --auth=migrate are both given (karp run refuses --auth"
                        + " twice); drop the extra argument (--extra-arg, extraArgs or envVars.extraFlags) and give the"
                        + " mode with --auth only (chart value auth)");
        assertThatThrownBy(() -> settings().auth("strict").addExtraArg("--auth").addExtraArg("strict").build())
                .hasMessageStartingWith("--auth strict and the extra argument --auth are both given");
        // Alone, an extra --auth is passed on as before; --authx is no --auth.
        assertThat(container(settings().addExtraArg("--auth=migrate")).getArgs()).endsWith("--auth=migrate");
        assertThat(container(settings().auth("migrate").addExtraArg("--authors")).getArgs())
                .endsWith("--auth=migrate", "--authors");
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

    private static ManifestGroup group(String spec) {
        return ManifestGroup.parse(spec);
    }

    private static ManifestSettings.Builder twoGroups() {
        return ManifestSettings.builder().password(new PasswordSource.Literal("s3cret")).groups(List.of(
                group("vhid=10,vip=192.168.1.100/24,vip=fd00:10::100/64"),
                group("vhid=11,vip=192.168.1.101/24,advskew=100,preempt=false,interface=eth1")));
    }

    @Test
    void severalVipsAreRepeatedVipFlagsInTheOrderGiven() {
        Container c = container(settings().vips(List.of(Cidr.parse("192.168.1.100/24"), Cidr.parse("fd00:10::100/64"),
                Cidr.parse("192.168.1.101/24"))));

        assertThat(c.getArgs()).containsSubsequence("run", "--vip=192.168.1.100/24", "--vip=fd00:10::100/64",
                "--vip=192.168.1.101/24", "--vhid=10");
    }

    @Test
    void anIpv6VipIsWrittenInItsShortForm() {
        assertThat(container(settings().vip(ManifestSettings.parseVip("FD00:10:0::0100/64"))).getArgs())
                .contains("--vip=fd00:10::100/64");
    }

    @Test
    void peersAreRepeatedPeerFlagsAfterTheInterface() {
        Container c = container(settings().interfaceName("eth1").peers(List.of(ManifestSettings.parsePeer("10.0.0.11"),
                ManifestSettings.parsePeer("10.0.0.12"), ManifestSettings.parsePeer("fd00:10:0::13"))));

        assertThat(c.getArgs()).containsSubsequence("--interface=eth1", "--peer=10.0.0.11", "--peer=10.0.0.12",
                "--peer=fd00:10::13", "--health-url=https://127.0.0.1:6443/readyz");
    }

    @Test
    void groupsGoIntoAConfigMapThatThePodMountsAndRunReads() {
        List<HasMetadata> docs = rendered(twoGroups());

        assertThat(docs).extracting(HasMetadata::getKind).containsExactly("Secret", "ConfigMap", "DaemonSet");
        ConfigMap cm = (ConfigMap) docs.get(1);
        DaemonSet ds = (DaemonSet) docs.get(2);
        PodSpec spec = ds.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().get(0);
        assertThat(cm.getMetadata().getName()).isEqualTo("karp-config");
        assertThat(c.getArgs()).containsExactly("run", "--config=/etc/karp-config/karp.yaml",
                "--health-url=https://127.0.0.1:6443/readyz");
        assertThat(spec.getVolumes()).extracting(v -> v.getName()).containsExactly("password", "config", "tmp");
        assertThat(spec.getVolumes().get(1).getConfigMap().getName()).isEqualTo("karp-config");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("config");
            assertThat(m.getMountPath()).isEqualTo("/etc/karp-config");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(cm.getData()).containsOnlyKeys("karp.yaml");
    }

    @Test
    void theConfigFileHoldsTheSharedSettingsThenEachGroupWithWhatItSetsItself() {
        ManifestSettings s = twoGroups().interfaceName("eth0").advskew(20).preempt(true).build();

        assertThat(ManifestRenderer.configFile(s)).isEqualTo("""
                # karp run --config: settings for every group, then the groups
                password-file: "/etc/karp/password"
                interface: "eth0"
                advbase: 1
                advskew: 20
                preempt: true
                groups:
                  - vhid: 10
                    vip:
                      - "192.168.1.100/24"
                      - "fd00:10::100/64"
                  - vhid: 11
                    vip:
                      - "192.168.1.101/24"
                    advskew: 100
                    preempt: false
                    interface: "eth1"
                """);
    }

    @Test
    void theConfigFileIsYamlWithTheKeysKarpRunReads() throws Exception {
        JsonNode file = new YAMLMapper().readTree(ManifestRenderer.configFile(twoGroups().build()));

        assertThat(file.get("password-file").asText()).isEqualTo("/etc/karp/password");
        assertThat(file.has("vhid")).isFalse();
        assertThat(file.has("vip")).isFalse();
        assertThat(file.get("groups")).hasSize(2);
        assertThat(file.at("/groups/0/vip/1").asText()).isEqualTo("fd00:10::100/64");
        assertThat(file.at("/groups/1/advskew").asInt()).isEqualTo(100);
    }

    @Test
    void theRenderedConfigMapHoldsTheFileAsABlockAndThePodItsHash() throws Exception {
        ManifestSettings s = twoGroups().putPodAnnotation("prometheus.io/scrape", "true").build();
        String yaml = ManifestRenderer.toYaml(ManifestRenderer.render(s));
        DaemonSet ds = daemonSet(twoGroups().putPodAnnotation("prometheus.io/scrape", "true"));

        assertThat(yaml).contains("  karp.yaml: |\n    # karp run --config");
        assertThat(ds.getSpec().getTemplate().getMetadata().getAnnotations()).containsExactly(
                Map.entry("prometheus.io/scrape", "true"),
                Map.entry("karp.dev/config-sha256", ManifestRenderer.sha256(ManifestRenderer.configFile(s))));
        assertThat(ManifestRenderer.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aGroupAtAdvbaseZeroGetsSysNice() {
        assertThat(container(twoGroups().groups(List.of(group("vhid=10,vip=10.0.0.1/24,advbase=0,advskew=13"))))
                .getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW", "SYS_NICE");
        assertThat(container(twoGroups()).getSecurityContext().getCapabilities().getAdd())
                .containsExactly("NET_ADMIN", "NET_RAW");
    }

    @Test
    void groupsAndPeersTogether() {
        Container c = container(twoGroups().peers(List.of(ManifestSettings.parsePeer("10.0.0.11"),
                ManifestSettings.parsePeer("10.0.0.12"))));

        assertThat(c.getArgs()).containsExactly("run", "--config=/etc/karp-config/karp.yaml", "--peer=10.0.0.11",
                "--peer=10.0.0.12", "--health-url=https://127.0.0.1:6443/readyz");
    }

    @Test
    void badGroupsAndPeersAreRefusedWithOneLineNamingTheProblem() {
        assertThatThrownBy(() -> twoGroups().groups(List.of(group("vhid=10,vip=10.0.0.1/24"),
                group("vhid=10,vip=10.0.0.2/24"))).build())
                .hasMessage("vhid 10 is in two groups; every group needs its own vhid");
        assertThatThrownBy(() -> twoGroups().groups(List.of(group("vhid=10,vip=fd00:200::100/64"),
                group("vhid=11,vip=fd00:200:0::100/64"))).build())
                .hasMessage("VIP fd00:200::100 is in the groups with vhid 10 and 11; an address belongs to one group only");
        assertThatThrownBy(() -> twoGroups().vip(Cidr.parse("10.0.0.9/24")).build())
                .hasMessageStartingWith("the VIP is given both on its own (--vip, envVars.virtualIp) and in groups");
        assertThatThrownBy(() -> twoGroups().staticPod(true).password(new PasswordSource.HostFile("/etc/karp/password"))
                .build()).hasMessageStartingWith("--static-pod cannot hold groups");
        assertThatThrownBy(() -> twoGroups().groups(List.of(group("vhid=10,vip=10.0.0.1/24,advbase=0"))).build())
                .hasMessage("group vhid 10: --advbase 0 needs --advskew above 0 (the advert interval would be 0)");
        assertThatThrownBy(() -> settings().vips(List.of(Cidr.parse("fd00::1/64"), Cidr.parse("fd00:0::1/128"))).build())
                .hasMessage("--vip fd00::1/128 is given twice (also as fd00::1/64); give each address once");
        assertThatThrownBy(() -> ManifestSettings.parsePeer("node-1"))
                .hasMessageStartingWith("--peer node-1 is not an IP address");
        assertThatThrownBy(() -> ManifestSettings.parsePeer("10.0.0.11/24"))
                .hasMessageStartingWith("--peer 10.0.0.11/24 is not an IP address");
        assertThatThrownBy(() -> ManifestSettings.parsePeer("224.0.0.18"))
                .hasMessageStartingWith("--peer 224.0.0.18 is not a node's unicast address");
        assertThatThrownBy(() -> settings().peers(List.of(ManifestSettings.parsePeer("10.0.0.11"))).build())
                .hasMessageStartingWith("--peer 10.0.0.11 is the only peer");
        assertThatThrownBy(() -> settings().peers(List.of(ManifestSettings.parsePeer("10.0.0.11"),
                ManifestSettings.parsePeer("10.0.0.11"))).build())
                .hasMessage("--peer 10.0.0.11 is given twice; give each node's address once");
    }

    @Test
    void aGroupSpecIsParsedAndCheckedKeyByKey() {
        ManifestGroup g = group("vhid=7,vip=10.0.0.7/24,vip=fd00::7/64,advbase=2,advskew=50,preempt=true,interface=bond0");

        assertThat(g).isEqualTo(new ManifestGroup(7, List.of(Cidr.parse("10.0.0.7/24"), Cidr.parse("fd00::7/64")), 2, 50,
                true, "bond0"));
        assertThatThrownBy(() -> group("vip=10.0.0.7/24"))
                .hasMessage("--group vip=10.0.0.7/24 has no vhid (expected: vhid=1..255, its own in every group)");
        assertThatThrownBy(() -> group("vhid=7"))
                .hasMessage("--group vhid=7 has no vip (expected: vip=ADDRESS/PREFIX, one or more)");
        assertThatThrownBy(() -> group("vhid=7,vip=10.0.0.7"))
                .hasMessageStartingWith("--group vhid=7,vip=10.0.0.7: vip 10.0.0.7 has no prefix length");
        assertThatThrownBy(() -> group("vhid=300,vip=10.0.0.7/24"))
                .hasMessage("--group vhid=300,vip=10.0.0.7/24: vhid 300 is out of range (expected: 1..255)");
        assertThatThrownBy(() -> group("vhid=7,vip=10.0.0.7/24,password-file=/x"))
                .hasMessageContaining("unknown key 'password-file'").hasMessageContaining("one password Secret");
        assertThatThrownBy(() -> group("vhid=7,vhid=8,vip=10.0.0.7/24")).hasMessageEndingWith("vhid is given twice");
        assertThatThrownBy(() -> group("vhid=7,10.0.0.7/24")).hasMessage("--group vhid=7,10.0.0.7/24: '10.0.0.7/24' is not"
                + " KEY=VALUE (expected e.g. vhid=2,vip=10.0.0.2/24,advskew=100)");
        assertThatThrownBy(() -> group("vhid=7,vip=10.0.0.7/24,vip=10.0.0.7/32"))
                .hasMessageEndingWith("vip 10.0.0.7/32 is given twice");
    }
}
