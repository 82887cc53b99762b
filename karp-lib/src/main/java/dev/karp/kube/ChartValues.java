package dev.karp.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.karp.carp.AuthMode;
import dev.karp.net.Cidr;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Helm values file, kube-karp's or karp's own chart's (karp's keeps kube-karp's names where they mean
 * the same thing and adds a few), into {@link ManifestSettings.Builder} calls, so kube-karp users migrate
 * with the file they have. Keys karp does not know, or takes over differently, give a warning each; none is
 * dropped in silence.
 */
public final class ChartValues {
    /** kube-karp's image: it runs ucarp, not karp, so its name is never carried over. */
    static final String KUBE_KARP_IMAGE = "immanuelfodor/kube-karp";
    /** kube-karp trimmed the password to 16 characters ({@code trunc 16}); that is what its pods used. */
    static final int KUBE_KARP_PASSWORD_CHARS = 16;

    private static final Set<String> TOP_LEVEL = Set.of("nameOverride", "fullnameOverride", "image", "imagePullSecrets",
            "setAnnotations", "podAnnotations", "envVars", "podSecurityContext", "securityContext", "resources",
            "tolerations", "nodeSelector", "affinity",
            // karp's additions, see manifests/helm/karp/values.yaml
            "advbase", "advskew", "preempt", "existingSecret", "createNamespace", "defaultTolerations", "extraArgs",
            "profile", "healthUrl", "peers", "groups", "auth");
    private static final Set<String> ENV_VARS = Set.of("virtualIp", "subnet", "interface", "serverId", "password",
            "upScript", "downScript", "extraFlags", "debug");
    private static final Map<String, Object> KUBE_KARP_SECURITY_CONTEXT = Map.of(
            "capabilities", Map.of("add", List.of("NET_ADMIN", "NET_RAW")),
            "allowPrivilegeEscalation", false,
            "readOnlyRootFilesystem", true);
    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");

    private final List<String> warnings = new ArrayList<>();

    private ChartValues() {
    }

    /** Applies {@code yaml} (a values file's text) to {@code b}; returns the warnings, one line each. */
    public static List<String> apply(String yaml, String source, ManifestSettings.Builder b) {
        Object root;
        try {
            ObjectMapper mapper = new YAMLMapper();
            root = mapper.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(source + " is not a Helm values file (expected: a mapping at the top)");
        }
        ChartValues v = new ChartValues();
        v.applyAll(cast(map), b);
        return List.copyOf(v.warnings);
    }

    private void applyAll(Map<String, Object> values, ManifestSettings.Builder b) {
        for (String key : values.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                warnings.add("values: " + key + " is not a kube-karp or karp chart value; ignored");
            }
        }
        if (values.get("fullnameOverride") instanceof String s && !s.isBlank()) {
            b.name(s);
        } else if (values.get("nameOverride") instanceof String s && !s.isBlank()) {
            warnings.add("values: nameOverride " + s + " is used as the name (karp render-manifest has no release name);"
                    + " --name overrides it");
            b.name(s);
        }
        image(map(values, "image"), b);
        for (Object o : list(values, "imagePullSecrets")) {
            if (o instanceof Map<?, ?> m && m.get("name") instanceof String n) {
                b.addImagePullSecret(n);
            } else if (o instanceof String n) {
                b.addImagePullSecret(n);
            } else {
                warnings.add("values: imagePullSecrets entry " + o + " has no name; ignored");
            }
        }
        map(values, "setAnnotations").forEach((k, val) -> b.putAnnotation(k, String.valueOf(val)));
        map(values, "podAnnotations").forEach((k, val) -> b.putPodAnnotation(k, String.valueOf(val)));
        envVars(map(values, "envVars"), b);
        Map<String, Object> podSecurityContext = map(values, "podSecurityContext");
        if (!podSecurityContext.isEmpty()) {
            b.podSecurityContext(podSecurityContext);
        }
        Map<String, Object> securityContext = map(values, "securityContext");
        if (!securityContext.isEmpty() && !securityContext.equals(KUBE_KARP_SECURITY_CONTEXT)) {
            warnings.add("values: securityContext is not taken over; karp sets its own (drop ALL, add NET_ADMIN and"
                    + " NET_RAW, read-only root filesystem, no privilege escalation)");
        }
        resources(map(values, "resources"), b);
        for (Object t : list(values, "tolerations")) {
            if (t instanceof Map<?, ?> m) {
                b.addToleration(cast(m));
            } else {
                warnings.add("values: toleration " + t + " is not a mapping; ignored");
            }
        }
        map(values, "nodeSelector").forEach((k, val) -> b.putNodeSelector(k, String.valueOf(val)));
        Map<String, Object> affinity = map(values, "affinity");
        if (!affinity.isEmpty()) {
            b.affinity(affinity);
        }
        karpValues(values, b);
    }

    private void image(Map<String, Object> image, ManifestSettings.Builder b) {
        String repository = image.get("repository") instanceof String s && !s.isBlank() ? s : null;
        String tag = image.get("tag") == null ? "" : String.valueOf(image.get("tag"));
        if (repository != null && repository.endsWith(KUBE_KARP_IMAGE)) {
            warnings.add("values: image " + repository + " is kube-karp's (it runs ucarp); using " + KarpImage.DEFAULT
                    + " instead");
        } else if (repository != null) {
            b.image(repository + ":" + (tag.isBlank() ? KarpImage.TAG : tag));
        } else if (!tag.isBlank()) {
            b.image(KarpImage.REPOSITORY + ":" + tag);
        }
        if (image.get("pullPolicy") instanceof String p && !p.isBlank()) {
            b.imagePullPolicy(p);
        }
        unknownKeys("image", image, Set.of("repository", "tag", "pullPolicy"));
    }

    private void envVars(Map<String, Object> env, ManifestSettings.Builder b) {
        unknownKeys("envVars", env, ENV_VARS);
        // kube-karp's one address, or karp's list (several VIPs, IPv6, dual stack).
        Object virtualIp = env.get("virtualIp");
        List<?> ips = virtualIp instanceof List<?> l ? l : virtualIp == null ? List.of() : List.of(virtualIp);
        List<Cidr> vips = new ArrayList<>();
        String subnet = string(env, "subnet");
        for (Object o : ips) {
            String vip = String.valueOf(o).strip();
            if (vip.isEmpty()) {
                continue;
            }
            if (!vip.contains("/") && vip.contains(":")) {
                throw new IllegalArgumentException("values: envVars.virtualIp " + vip + " is IPv6 and has no prefix:"
                        + " write it as " + vip + "/64 (or the prefix of the node network); envVars.subnet is for IPv4");
            }
            String cidr = vip.contains("/") ? vip : vip + "/" + (subnet.isBlank() ? "24" : subnet);
            try {
                vips.add(ManifestSettings.parseVip(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("values: envVars.virtualIp " + vip + " and subnet " + subnet
                        + " do not make a VIP: " + e.getMessage());
            }
        }
        if (!vips.isEmpty()) {
            b.vips(vips);
        }
        String iface = string(env, "interface");
        if (!iface.isBlank()) {
            b.interfaceName(iface);
        }
        String serverId = string(env, "serverId");
        if (!serverId.isBlank()) {
            b.vhid(integer("envVars.serverId", serverId));
        }
        String password = string(env, "password");
        if (!password.isBlank()) {
            if (password.length() > KUBE_KARP_PASSWORD_CHARS) {
                warnings.add("values: envVars.password is longer than 16 characters; kube-karp used its first 16,"
                        + " and so does karp, so both elect together");
                password = password.substring(0, KUBE_KARP_PASSWORD_CHARS);
            }
            b.password(new PasswordSource.Literal(password));
        }
        String up = string(env, "upScript");
        if (!up.isBlank()) {
            b.addExtraArg("--upscript=" + up);
        }
        String down = string(env, "downScript");
        if (!down.isBlank()) {
            b.addExtraArg("--downscript=" + down);
        }
        for (String flag : string(env, "extraFlags").trim().split("\\s+")) {
            if (!flag.isEmpty()) {
                b.addExtraArg(flag);
            }
        }
        if (!string(env, "debug").isBlank()) {
            b.addExtraArg("--debug");
        }
    }

    private void resources(Map<String, Object> resources, ManifestSettings.Builder b) {
        Map<String, Object> requests = map(resources, "requests");
        Map<String, Object> limits = map(resources, "limits");
        if (limits.containsKey("cpu")) {
            warnings.add("values: resources.limits.cpu " + limits.get("cpu") + " is dropped: CFS throttling delays"
                    + " karp's advert timer, and a late advert starts a failover");
        }
        ManifestSettings.Resources min = ManifestSettings.Resources.DEFAULT;
        if (requests.get("cpu") != null) {
            b.cpuRequest(String.valueOf(requests.get("cpu")));
        }
        b.memoryRequest(atLeast("resources.requests.memory", requests.get("memory"), min.memoryRequest()));
        b.memoryLimit(atLeast("resources.limits.memory", limits.get("memory"), min.memoryLimit()));
    }

    /** kube-karp sized memory for ucarp in C (3-4 MiB); karp runs on a JVM and needs karp's minimum. */
    private String atLeast(String key, Object value, String minimum) {
        if (value == null) {
            return minimum;
        }
        String v = String.valueOf(value);
        BigDecimal bytes = bytes(v);
        if (bytes == null) {
            return v;
        }
        if (bytes.compareTo(bytes(minimum)) < 0) {
            warnings.add("values: " + key + " " + v + " is below what karp's JVM needs; using " + minimum);
            return minimum;
        }
        return v;
    }

    private static BigDecimal bytes(String quantity) {
        Matcher m = QUANTITY.matcher(quantity);
        if (!m.matches()) {
            return null;
        }
        long factor = switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
    }

    private void karpValues(Map<String, Object> values, ManifestSettings.Builder b) {
        if (values.get("advbase") != null) {
            b.advbase(integer("advbase", String.valueOf(values.get("advbase"))));
        }
        if (values.get("advskew") != null) {
            b.advskew(integer("advskew", String.valueOf(values.get("advskew"))));
        }
        // As in the chart's template: a profile replaces advbase and advskew.
        if (values.get("profile") instanceof String p && !p.isBlank()) {
            try {
                b.profile(p.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("values: profile " + p + " is not known (expected: "
                        + ManifestSettings.FAST_PROFILE + ", or empty)");
            }
        }
        // As in the chart's template: empty means none rendered (karp run's default, ucarp), any case is taken.
        Object auth = values.get("auth");
        if (auth != null && !String.valueOf(auth).isBlank()) {
            try {
                b.auth(String.valueOf(auth));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("values: auth " + auth + " is not known (expected: "
                        + AuthMode.choices() + ", or empty)");
            }
        }
        if (values.get("preempt") instanceof Boolean p) {
            b.preempt(p);
        }
        if (values.containsKey("healthUrl")) {
            Object url = values.get("healthUrl");
            b.healthUrl(url == null ? null : String.valueOf(url));
        }
        if (values.get("existingSecret") instanceof String s && !s.isBlank()) {
            b.password(new PasswordSource.ExistingSecret(s));
        }
        if (values.get("createNamespace") instanceof Boolean c) {
            b.createNamespace(c);
        }
        if (values.get("defaultTolerations") instanceof Boolean d) {
            b.defaultTolerations(d);
        }
        for (Object a : list(values, "extraArgs")) {
            b.addExtraArg(String.valueOf(a));
        }
        // A list, or one comma-separated string as --peers takes it.
        Object peers = values.get("peers");
        List<?> peerList = peers instanceof String text ? List.of(text.split(",")) : list(values, "peers");
        List<InetAddress> addresses = new ArrayList<>();
        for (Object p : peerList) {
            if (!String.valueOf(p).isBlank()) {
                addresses.add(prefixed("values: peers", () -> ManifestSettings.parsePeer(String.valueOf(p).strip())));
            }
        }
        b.peers(addresses);
        List<ManifestGroup> groups = new ArrayList<>();
        List<Object> items = list(values, "groups");
        for (int i = 0; i < items.size(); i++) {
            String where = "values: groups[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + " is not a mapping (expected: vhid: N, vip: CIDR or a list)");
            }
            groups.add(ManifestGroup.of(cast(m), where));
        }
        b.groups(groups);
    }

    /** Runs {@code parse}, putting {@code where} before its message. */
    private static <T> T prefixed(String where, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private void unknownKeys(String parent, Map<String, Object> m, Set<String> known) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                warnings.add("values: " + parent + "." + k + " is not a kube-karp or karp chart value; ignored");
            }
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("values: " + key + " " + value + " is not a number");
        }
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> map) {
            return cast(map);
        }
        warnings.add("values: " + key + " is not a mapping; ignored");
        return Map.of();
    }

    private List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        warnings.add("values: " + key + " is not a list; ignored");
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
