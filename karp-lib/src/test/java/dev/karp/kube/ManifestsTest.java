package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.Cidr;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ready-made files in manifests/ stay what render-manifest makes, and kustomize builds them. */
class ManifestsTest {
    @TempDir
    Path tmp;

    /** The settings manifests/karp.yaml's header names. */
    private static String defaultRendering() {
        return ManifestRenderer.toYaml(ManifestRenderer.render(ManifestSettings.builder()
                .vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.ExistingSecret("karp-password")).build()));
    }

    @Test
    void karpYamlIsTheDefaultRenderingBelowItsComment() throws Exception {
        String file = Files.readString(RepoFiles.manifests().resolve("karp.yaml"));

        assertThat(file).startsWith("# karp: ").contains("karp render-manifest --vip 192.168.1.100/24 --existing-secret karp-password");
        assertThat(withoutLeadingComments(file)).isEqualTo(defaultRendering());
        assertThat(StrictModel.read(file)).extracting(HasMetadata::getKind).containsExactly("DaemonSet");
    }

    @Test
    void theKustomizeBaseHoldsTheSameObjects() throws Exception {
        String base = Files.readString(RepoFiles.manifests().resolve("kustomize/karp.yaml"));

        assertThat(withoutLeadingComments(base)).isEqualTo(defaultRendering());
    }

    @Test
    void kubectlKustomizeBuildsTheBase() throws Exception {
        String kubectl = Tools.kubectl();

        Tools.Run r = Tools.run(Map.of(), null, kubectl, "kustomize", RepoFiles.manifests().resolve("kustomize").toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(HelmChartTest.objects(r.stdout())).isEqualTo(HelmChartTest.objects(defaultRendering()));
        StrictModel.read(r.stdout());
    }

    @Test
    void theExampleOverlaySetsTheVipAndGeneratesTheSecretTheDaemonSetUses() throws Exception {
        String kubectl = Tools.kubectl();
        copyTree(RepoFiles.manifests().resolve("kustomize"), tmp.resolve("kustomize"));
        copyTree(RepoFiles.manifests().resolve("kustomize-example"), tmp.resolve("kustomize-example"));
        Files.writeString(tmp.resolve("kustomize-example/password"), "Zm9vYmFyYmF6cXV4");

        Tools.Run r = Tools.run(Map.of(), null, kubectl, "kustomize", tmp.resolve("kustomize-example").toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<HasMetadata> docs = StrictModel.read(r.stdout());
        Secret secret = docs.stream().filter(Secret.class::isInstance).map(Secret.class::cast).findFirst().orElseThrow();
        DaemonSet ds = docs.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("Zm9vYmFyYmF6cXV4");
        assertThat(ds.getSpec().getTemplate().getSpec().getVolumes().get(0).getSecret().getSecretName())
                .isEqualTo(secret.getMetadata().getName()).startsWith("karp-password-");
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--vip=192.168.10.100/24");
    }

    @Test
    void theExampleOverlaysAuthStepUncommentedRunsWhatRenderManifestRendersWithAuth() throws Exception {
        String kubectl = Tools.kubectl();
        copyTree(RepoFiles.manifests().resolve("kustomize"), tmp.resolve("kustomize"));
        copyTree(RepoFiles.manifests().resolve("kustomize-example"), tmp.resolve("kustomize-example"));
        Files.writeString(tmp.resolve("kustomize-example/password"), "Zm9vYmFyYmF6cXV4");
        Path kustomization = tmp.resolve("kustomize-example/kustomization.yaml");
        String text = Files.readString(kustomization);
        String uncommented = text.replace("      # - op: add\n", "      - op: add\n")
                .replace("      #   path: /spec/template/spec/containers/0/args/-\n",
                        "        path: /spec/template/spec/containers/0/args/-\n")
                .replace("      #   value: --auth=migrate\n", "        value: --auth=strict\n");
        assertThat(uncommented).isNotEqualTo(text).contains("value: --auth=strict");
        Files.writeString(kustomization, uncommented);
        ManifestSettings same = ManifestSettings.builder().vip(Cidr.parse("192.168.10.100/24")).auth("strict")
                .password(new PasswordSource.ExistingSecret("karp-password")).build();

        assertThat(kustomizedRunArgs(kubectl, tmp.resolve("kustomize-example"))).isEqualTo(ManifestRenderer.runArgs(same));
    }

    @Test
    void theDualStackOverlayRunsWhatRenderManifestRendersForTheSameVipsAndPeers() throws Exception {
        String kubectl = Tools.kubectl();
        copyTree(RepoFiles.manifests().resolve("kustomize"), tmp.resolve("kustomize"));
        copyTree(RepoFiles.manifests().resolve("kustomize-dual-stack"), tmp.resolve("kustomize-dual-stack"));
        Files.writeString(tmp.resolve("kustomize-dual-stack/password"), "Zm9vYmFyYmF6cXV4");
        ManifestSettings same = ManifestSettings.builder()
                .vips(List.of(Cidr.parse("192.168.10.100/24"), Cidr.parse("fd00:10::100/64")))
                .peers(Stream.of("192.168.10.11", "192.168.10.12", "192.168.10.13").map(ManifestSettings::parsePeer).toList())
                .password(new PasswordSource.ExistingSecret("karp-password")).build();

        assertThat(kustomizedRunArgs(kubectl, tmp.resolve("kustomize-dual-stack")))
                .isEqualTo(ManifestRenderer.runArgs(same));
        assertThat(Files.readString(RepoFiles.manifests().resolve("kustomize-dual-stack/kustomization.yaml")))
                .contains("karp render-manifest --vip 192.168.10.100/24 --vip fd00:10::100/64 \\\n"
                        + "#     --peers 192.168.10.11,192.168.10.12,192.168.10.13 --existing-secret karp-password");
    }

    /** {@code kubectl kustomize DIR}, which must succeed: the arguments of the DaemonSet's karp container. */
    private static List<String> kustomizedRunArgs(String kubectl, Path dir) throws Exception {
        Tools.Run r = Tools.run(Map.of(), null, kubectl, "kustomize", dir.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        DaemonSet ds = StrictModel.read(r.stdout()).stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .findFirst().orElseThrow();
        return ds.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    }

    private static String withoutLeadingComments(String text) {
        List<String> lines = text.lines().toList();
        int i = 0;
        while (i < lines.size() && lines.get(i).startsWith("#")) {
            i++;
        }
        return String.join("\n", lines.subList(i, lines.size())) + "\n";
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

}
