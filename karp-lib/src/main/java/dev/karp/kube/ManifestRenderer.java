package dev.karp.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.karp.config.KarpConfig;
import dev.karp.net.IpAddresses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders karp's Kubernetes objects (Namespace, Secret, DaemonSet, or the static Pod) as plain ordered maps,
 * and prints them as multi-document YAML or as a JSON {@code List}. The Helm chart in
 * {@code manifests/helm/karp} renders the same objects; a test compares the two object by object.
 *
 * <p>Choices that differ from kube-karp and kube-vip, with their reasons (docs/kubernetes.md, "What the
 * manifests set, and why"):
 * <ul>
 * <li>No CPU limit: CFS throttling delayed a 100 ms timer by up to 90 ms in our measurements, and a late
 *     advert lets a backup take over (ucarp-spec §4.4). Memory has a request and a limit.</li>
 * <li>Node affinity with {@code Exists} on both control-plane labels: kubeadm labels nodes {@code ""},
 *     k3s and RKE2 {@code "true"}, so a node selector on one value misses the other.</li>
 * <li>The password is a file from a Secret, never an env value (kube-karp passed it in env and on the
 *     command line).</li>
 * <li>{@code maxSurge: 0}: a surge pod would run a second karp on the same host network.</li>
 * <li>{@code terminationGracePeriodSeconds: 10}: karp's bow-out on SIGTERM takes under a second; the rest
 *     is room for a slow node. kube-karp used 5.</li>
 * <li>Liveness and readiness are {@code httpGet} probes of {@code /healthz} on the status endpoint, not
 *     {@code exec karp healthcheck}: an exec probe starts a JVM each time, several percent of a core together.</li>
 * <li>{@code --health-url https://127.0.0.1:6443/readyz} by default: a VIP on a node whose API server is down
 *     helps nobody. kube-karp had no health check; kube-vip in ARP mode keeps the VIP (kube-vip #1786).</li>
 * </ul>
 */
public final class ManifestRenderer {
    public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
    public static final String MASTER_LABEL = "node-role.kubernetes.io/master";
    /** Where the container reads the password, from the Secret's key {@code password}. */
    public static final String PASSWORD_DIR = "/etc/karp";
    public static final String PASSWORD_FILE = PASSWORD_DIR + "/password";
    public static final String SECRET_KEY = "password";
    /**
     * With groups, karp run reads them from this file, the key {@value #CONFIG_KEY} of the ConfigMap mounted at
     * {@value #CONFIG_DIR} (beside, not inside, the Secret's directory: a mount point inside a read-only Secret
     * volume would need the runtime to create it there).
     */
    public static final String CONFIG_DIR = "/etc/karp-config";
    public static final String CONFIG_KEY = "karp.yaml";
    public static final String CONFIG_FILE = CONFIG_DIR + "/" + CONFIG_KEY;
    /**
     * The pod annotation that holds the config file's SHA-256: pods do not restart when only a ConfigMap changes,
     * and karp run reads its config once, so a changed file must change the pod template.
     */
    public static final String CONFIG_HASH_ANNOTATION = "karp.dev/config-sha256";
    /**
     * The local API server's readiness endpoint: with hostNetwork, 127.0.0.1:6443 is the node's own API server
     * (kubeadm, k3s and RKE2 all listen there), so a node whose API server is not ready gives the VIP away.
     */
    public static final String DEFAULT_HEALTH_URL = "https://127.0.0.1:6443/readyz";
    /** karp's bow-out completes within 1 s of SIGTERM; 10 s leaves room for a loaded node. */
    public static final int TERMINATION_GRACE_SECONDS = 10;
    /** Where the probes find the status endpoint: karp run's default {@code --status-addr}. */
    public static final String PROBE_HOST = KarpConfig.DEFAULT_STATUS_ADDRESS.getHostString();
    public static final int STATUS_PORT = KarpConfig.DEFAULT_STATUS_ADDRESS.getPort();
    public static final int LIVENESS_PERIOD_SECONDS = 20;
    public static final int READINESS_PERIOD_SECONDS = 10;
    public static final int PROBE_TIMEOUT_SECONDS = 5;
    /** The priority kubeadm's own static pods carry beside priorityClassName system-node-critical. */
    public static final int SYSTEM_NODE_CRITICAL_PRIORITY = 2000001000;

    /**
     * Tolerations every karp pod gets: both control-plane taints (kubeadm taints control-plane nodes, older
     * clusters used master), and CriticalAddonsOnly, which RKE2 suggests for dedicated server nodes.
     */
    public static final List<Map<String, Object>> DEFAULT_TOLERATIONS = List.of(
            Collections.unmodifiableMap(ordered("key", CONTROL_PLANE_LABEL, "operator", "Exists", "effect", "NoSchedule")),
            Collections.unmodifiableMap(ordered("key", MASTER_LABEL, "operator", "Exists", "effect", "NoSchedule")),
            Collections.unmodifiableMap(ordered("key", "CriticalAddonsOnly", "operator", "Exists")));

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // The ConfigMap's config file reads as a file (|), not as one line of \n escapes.
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private ManifestRenderer() {
    }

    /** Nodes that carry either control-plane label (terms of nodeSelectorTerms are ORed). */
    public static Map<String, Object> controlPlaneAffinity() {
        return ordered("nodeAffinity", ordered("requiredDuringSchedulingIgnoredDuringExecution", ordered(
                "nodeSelectorTerms", List.of(
                        ordered("matchExpressions", List.of(ordered("key", CONTROL_PLANE_LABEL, "operator", "Exists"))),
                        ordered("matchExpressions", List.of(ordered("key", MASTER_LABEL, "operator", "Exists")))))));
    }

    /**
     * The objects in apply order: Namespace (if asked), Secret (if karp owns it), ConfigMap (with groups), then the
     * workload.
     */
    public static List<Map<String, Object>> render(ManifestSettings s) {
        List<Map<String, Object>> docs = new ArrayList<>();
        if (s.staticPod()) {
            docs.add(staticPod(s));
            return docs;
        }
        if (s.createNamespace()) {
            docs.add(namespace(s));
        }
        if (s.password() instanceof PasswordSource.Literal literal) {
            docs.add(secret(s, literal.password()));
        }
        if (!s.groups().isEmpty()) {
            docs.add(configMap(s));
        }
        docs.add(daemonSet(s));
        return docs;
    }

    public static String secretName(ManifestSettings s) {
        return s.password() instanceof PasswordSource.ExistingSecret e ? e.name() : s.name() + "-password";
    }

    public static String configMapName(ManifestSettings s) {
        return s.name() + "-config";
    }

    /** Multi-document YAML, each document starting with {@code ---}. */
    public static String toYaml(List<Map<String, Object>> docs) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> doc : docs) {
            try {
                sb.append(YAML.writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot print a rendered map as YAML", e);
            }
        }
        return sb.toString();
    }

    /** A {@code v1 List}, the form {@code kubectl apply -f} takes for several objects in JSON. */
    public static String toJson(List<Map<String, Object>> docs) {
        try {
            return JSON.writeValueAsString(ordered("apiVersion", "v1", "kind", "List", "items", docs)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print rendered maps as JSON", e);
        }
    }

    static Map<String, Object> namespace(ManifestSettings s) {
        // Baseline and restricted Pod Security forbid hostNetwork and NET_ADMIN/NET_RAW, so karp's namespace
        // needs the privileged level (docs/kubernetes.md).
        Map<String, Object> labels = ordered(
                "pod-security.kubernetes.io/enforce", "privileged",
                "pod-security.kubernetes.io/audit", "privileged",
                "pod-security.kubernetes.io/warn", "privileged");
        return ordered("apiVersion", "v1", "kind", "Namespace", "metadata", ordered("name", s.namespace(), "labels", labels));
    }

    static Map<String, Object> secret(ManifestSettings s, String password) {
        String b64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
        return ordered("apiVersion", "v1", "kind", "Secret",
                "metadata", ordered("name", secretName(s), "namespace", s.namespace(), "labels", labels(s)),
                "type", "Opaque",
                "data", ordered(SECRET_KEY, b64));
    }

    static Map<String, Object> configMap(ManifestSettings s) {
        return ordered("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", ordered("name", configMapName(s), "namespace", s.namespace(), "labels", labels(s)),
                "data", ordered(CONFIG_KEY, configFile(s)));
    }

    /**
     * karp run's config file for the groups: the settings every group shares, then one item per group with only
     * what the group sets itself. Written line by line in a fixed form (every string double-quoted), so that the
     * Helm chart's template ({@code karp.config} in _helpers.tpl) writes the same bytes and the same hash.
     */
    public static String configFile(ManifestSettings s) {
        StringBuilder sb = new StringBuilder();
        sb.append("# karp run --config: settings for every group, then the groups\n");
        sb.append("password-file: ").append(quote(PASSWORD_FILE)).append('\n');
        if (s.interfaceName() != null) {
            sb.append("interface: ").append(quote(s.interfaceName())).append('\n');
        }
        sb.append("advbase: ").append(s.advbase()).append('\n');
        sb.append("advskew: ").append(s.advskew()).append('\n');
        if (s.preempt()) {
            sb.append("preempt: true\n");
        }
        sb.append("groups:\n");
        for (ManifestGroup g : s.groups()) {
            sb.append("  - vhid: ").append(g.vhid()).append('\n');
            sb.append("    vip:\n");
            g.vips().forEach(v -> sb.append("      - ").append(quote(v.toString())).append('\n'));
            if (g.advbase() != null) {
                sb.append("    advbase: ").append(g.advbase()).append('\n');
            }
            if (g.advskew() != null) {
                sb.append("    advskew: ").append(g.advskew()).append('\n');
            }
            if (g.preempt() != null) {
                sb.append("    preempt: ").append(g.preempt()).append('\n');
            }
            if (g.interfaceName() != null) {
                sb.append("    interface: ").append(quote(g.interfaceName())).append('\n');
            }
        }
        return sb.toString();
    }

    /** A YAML double-quoted string as Helm's {@code quote} writes it, for the printable ASCII karp allows here. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static Map<String, Object> daemonSet(ManifestSettings s) {
        Map<String, Object> metadata = ordered("name", s.name(), "namespace", s.namespace(), "labels", labels(s));
        if (!s.annotations().isEmpty()) {
            metadata.put("annotations", new LinkedHashMap<>(s.annotations()));
        }
        Map<String, Object> podMetadata = ordered("labels", labels(s));
        Map<String, Object> podAnnotations = new LinkedHashMap<>(s.podAnnotations());
        if (!s.groups().isEmpty()) {
            podAnnotations.put(CONFIG_HASH_ANNOTATION, sha256(configFile(s)));
        }
        if (!podAnnotations.isEmpty()) {
            podMetadata.put("annotations", podAnnotations);
        }
        Map<String, Object> podSpec = podSpecHead(s);
        if (!s.affinity().isEmpty()) {
            podSpec.put("affinity", s.affinity());
        }
        if (!s.nodeSelector().isEmpty()) {
            podSpec.put("nodeSelector", new LinkedHashMap<>(new TreeMap<>(s.nodeSelector())));
        }
        List<Map<String, Object>> tolerations = new ArrayList<>();
        if (s.defaultTolerations()) {
            tolerations.addAll(DEFAULT_TOLERATIONS);
        }
        s.tolerations().stream().filter(t -> !tolerations.contains(t)).forEach(tolerations::add);
        if (!tolerations.isEmpty()) {
            podSpec.put("tolerations", tolerations);
        }
        if (!s.imagePullSecrets().isEmpty()) {
            podSpec.put("imagePullSecrets", s.imagePullSecrets().stream().map(n -> ordered("name", n)).toList());
        }
        if (!s.podSecurityContext().isEmpty()) {
            podSpec.put("securityContext", s.podSecurityContext());
        }
        podSpec.put("containers", List.of(container(s, ordered("name", "password", "mountPath", PASSWORD_DIR, "readOnly", true))));
        List<Map<String, Object>> volumes = new ArrayList<>();
        volumes.add(ordered("name", "password", "secret", ordered("secretName", secretName(s), "defaultMode", 0400)));
        if (!s.groups().isEmpty()) {
            volumes.add(ordered("name", "config", "configMap", ordered("name", configMapName(s))));
        }
        volumes.add(tmpVolume());
        podSpec.put("volumes", volumes);
        return ordered("apiVersion", "apps/v1", "kind", "DaemonSet",
                "metadata", metadata,
                "spec", ordered(
                        "selector", ordered("matchLabels", selectorLabels(s)),
                        "updateStrategy", ordered("type", "RollingUpdate",
                                "rollingUpdate", ordered("maxUnavailable", 1, "maxSurge", 0)),
                        "template", ordered("metadata", podMetadata, "spec", podSpec)));
    }

    static Map<String, Object> staticPod(ManifestSettings s) {
        String hostFile = ((PasswordSource.HostFile) s.password()).path();
        Map<String, Object> podSpec = podSpecHead(s);
        // kubelet admits static pods without the Priority admission plugin, so give the number as well.
        podSpec.put("priority", SYSTEM_NODE_CRITICAL_PRIORITY);
        podSpec.put("containers", List.of(container(s,
                ordered("name", "password", "mountPath", PASSWORD_FILE, "readOnly", true))));
        podSpec.put("volumes", List.of(
                ordered("name", "password", "hostPath", ordered("path", hostFile, "type", "File")),
                tmpVolume()));
        Map<String, Object> metadata = ordered("name", s.name(), "namespace", s.namespace(), "labels", labels(s));
        if (!s.podAnnotations().isEmpty()) {
            metadata.put("annotations", new LinkedHashMap<>(s.podAnnotations()));
        }
        return ordered("apiVersion", "v1", "kind", "Pod", "metadata", metadata, "spec", podSpec);
    }

    private static Map<String, Object> podSpecHead(ManifestSettings s) {
        return ordered(
                "hostNetwork", true,
                // karp resolves no cluster names; node DNS keeps it independent of CoreDNS.
                "dnsPolicy", "Default",
                "priorityClassName", "system-node-critical",
                "terminationGracePeriodSeconds", TERMINATION_GRACE_SECONDS,
                // karp never calls the Kubernetes API.
                "automountServiceAccountToken", false,
                "enableServiceLinks", false);
    }

    /** The karp run arguments: what the user chose, in a fixed order, then the extra arguments as given. */
    public static List<String> runArgs(ManifestSettings s) {
        List<String> args = new ArrayList<>();
        args.add("run");
        if (s.groups().isEmpty()) {
            s.vips().forEach(v -> args.add("--vip=" + v));
            args.add("--vhid=" + s.vhid());
            args.add("--advbase=" + s.advbase());
            args.add("--advskew=" + s.advskew());
            if (s.preempt()) {
                args.add("--preempt");
            }
            args.add("--password-file=" + PASSWORD_FILE);
            if (s.interfaceName() != null) {
                args.add("--interface=" + s.interfaceName());
            }
        } else {
            // Everything a group may set for itself is in the file, so no flag can override a group's value.
            args.add("--config=" + CONFIG_FILE);
        }
        s.peers().forEach(p -> args.add("--peer=" + IpAddresses.format(p)));
        if (s.healthUrl() != null) {
            args.add("--health-url=" + s.healthUrl());
        }
        // A flag also with groups: the mode is the daemon's, for every group, and changing it must change the pod
        // template so that a rollout restarts the pods one at a time (docs/operations.md, strict authentication).
        if (s.auth() != null) {
            args.add("--auth=" + s.auth().word());
        }
        args.addAll(s.extraArgs());
        return args;
    }

    private static Map<String, Object> container(ManifestSettings s, Map<String, Object> passwordMount) {
        Map<String, Object> liveness = healthzProbe();
        liveness.putAll(ordered("periodSeconds", LIVENESS_PERIOD_SECONDS, "timeoutSeconds", PROBE_TIMEOUT_SECONDS,
                "failureThreshold", 3));
        Map<String, Object> readiness = healthzProbe();
        readiness.putAll(ordered("periodSeconds", READINESS_PERIOD_SECONDS, "timeoutSeconds", PROBE_TIMEOUT_SECONDS,
                "failureThreshold", 3));
        return ordered(
                "name", "karp",
                "image", s.image(),
                "imagePullPolicy", s.imagePullPolicy(),
                "command", List.of("karp"),
                "args", runArgs(s),
                "securityContext", ordered(
                        "privileged", false,
                        "allowPrivilegeEscalation", false,
                        "readOnlyRootFilesystem", true,
                        "capabilities", ordered("drop", List.of("ALL"), "add", capabilities(s)),
                        "seccompProfile", ordered("type", "RuntimeDefault")),
                "resources", ordered(
                        "requests", ordered("cpu", s.resources().cpuRequest(), "memory", s.resources().memoryRequest()),
                        "limits", ordered("memory", s.resources().memoryLimit())),
                "livenessProbe", liveness,
                // Ready means healthy, not master: a rollout waits for it, and backups must count as ready.
                "readinessProbe", readiness,
                "volumeMounts", s.groups().isEmpty()
                        ? List.of(passwordMount, ordered("name", "tmp", "mountPath", "/tmp"))
                        : List.of(passwordMount, ordered("name", "config", "mountPath", CONFIG_DIR, "readOnly", true),
                                ordered("name", "tmp", "mountPath", "/tmp")));
    }

    /**
     * {@code GET /healthz} on the daemon's status endpoint, which answers 200 while the protocol loop turns (what
     * {@code karp healthcheck} checks). The kubelet makes the request itself, so a probe starts no process; an
     * exec probe started a JVM, about 0.2 s of CPU each time (docs/benchmarks.md, "What karp costs a node"). The
     * pod is on the host network, so the kubelet reaches the endpoint on the node's loopback.
     */
    private static Map<String, Object> healthzProbe() {
        return ordered("httpGet", ordered("host", PROBE_HOST, "port", STATUS_PORT, "path", "/healthz",
                "scheme", "HTTP"));
    }

    /**
     * NET_ADMIN for the VIP, NET_RAW for adverts; at advbase 0 also SYS_NICE, so that karp run can give its
     * protocol loop real-time priority (its default there, {@code --rt-priority}): a busy node must not delay
     * adverts sent every 51 ms.
     */
    static List<String> capabilities(ManifestSettings s) {
        boolean advbaseZero = s.groups().isEmpty() ? s.advbase() == 0
                : s.groups().stream().anyMatch(g -> (g.advbase() != null ? g.advbase() : s.advbase()) == 0);
        return advbaseZero ? List.of("NET_ADMIN", "NET_RAW", "SYS_NICE") : List.of("NET_ADMIN", "NET_RAW");
    }

    /** JNA unpacks its native stub into java.io.tmpdir, and the root filesystem is read-only. */
    private static Map<String, Object> tmpVolume() {
        return ordered("name", "tmp", "emptyDir", ordered("medium", "Memory", "sizeLimit", "16Mi"));
    }

    static Map<String, Object> labels(ManifestSettings s) {
        Map<String, Object> labels = selectorLabels(s);
        labels.put("app.kubernetes.io/version", imageTag(s.image()));
        return labels;
    }

    /** The selector of a DaemonSet cannot change, so it holds no version. */
    static Map<String, Object> selectorLabels(ManifestSettings s) {
        return ordered("app.kubernetes.io/name", "karp", "app.kubernetes.io/instance", s.name());
    }

    /** The tag of an image reference, for the version label; "latest" when it has none (or only a digest). */
    static String imageTag(String image) {
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String tag = colon > slash ? ref.substring(colon + 1) : "latest";
        // A label value: at most 63 of [A-Za-z0-9_.-], starting and ending alphanumeric.
        tag = tag.replaceAll("[^A-Za-z0-9_.-]", "_");
        return tag.length() > 63 ? tag.substring(0, 63) : tag;
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
