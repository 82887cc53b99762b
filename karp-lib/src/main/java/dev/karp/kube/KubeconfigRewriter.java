package dev.karp.kube;

import dev.karp.net.IpAddresses;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import dev.karp.files.RegularFiles;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Points kubeconfig clusters at the VIP. Files are read with kubectl's merge rules (for a
 * name defined in several {@code KUBECONFIG} files the first file wins, and that file is the one edited),
 * and edited in place: only the {@code server} value (and {@code tls-server-name} when asked) changes, so
 * comments, order and everything else stay as written.
 *
 * <p>Three steps, so the CLI can stop between them: {@link #plan} reads and checks (no writes, no network),
 * {@link #check} connects to the VIP, and {@link Plan#apply} writes.
 */
public final class KubeconfigRewriter {

    /** Which clusters to rewrite. */
    public sealed interface Selection {
        record CurrentContext() implements Selection {
        }

        record Context(String name) implements Selection {
        }

        record Cluster(String name) implements Selection {
        }

        record All() implements Selection {
        }
    }

    /**
     * @param port          replaces the port when present; else each cluster keeps its own
     * @param tlsServerName also set {@code tls-server-name}, for certificates that lack the VIP
     */
    public record Request(InetAddress vip, OptionalInt port, Selection selection, Optional<String> tlsServerName) {
    }

    /** One cluster's change. */
    public record Change(Path file, String cluster, String oldServer, String newServer, Optional<String> tlsServerName,
            boolean insecureSkipTlsVerify) {
        /** Where a client using this cluster will connect, and the name it will verify. */
        Optional<Endpoint> endpoint(InetAddress vip) {
            ServerUrl url = ServerUrl.parse(newServer);
            if (!url.isTls() || insecureSkipTlsVerify) {
                return Optional.empty();
            }
            return Optional.of(new Endpoint(new HostPort(IpAddresses.format(vip), url.effectivePort()),
                    tlsServerName.orElse(IpAddresses.format(vip))));
        }
    }

    /** A TLS endpoint and the name its certificate must cover. */
    public record Endpoint(HostPort server, String name) {
    }

    /** A file's old and new text. */
    public record FileEdit(Path file, String before, String after) {
        public String diff() {
            return UnifiedDiff.of(file.toString().replaceFirst("^/", ""), before, after);
        }
    }

    /** What {@link #check} found for one endpoint: the certificate, or why there is none. */
    public record CheckResult(Endpoint endpoint, Optional<ServedCertificate> certificate, Optional<String> error) {
        public boolean ok() {
            return certificate.isPresent() && certificate.get().covers(endpoint.name());
        }
    }

    /** Everything {@link #plan} decided; nothing is written until {@link #apply}. */
    public record Plan(InetAddress vip, List<Change> changes, List<FileEdit> edits) {
        public boolean changesNothing() {
            return edits.isEmpty();
        }

        public List<AtomicFiles.Written> apply(AtomicFiles files) throws IOException {
            List<AtomicFiles.Written> written = new ArrayList<>();
            for (FileEdit e : edits) {
                written.add(files.replace(e.file(), e.after()));
            }
            return written;
        }
    }

    /** Kubeconfigs with many embedded certificates stay far below this; a bigger file is a mistake. */
    private static final long MAX_KUBECONFIG_BYTES = 16L * 1024 * 1024;

    private KubeconfigRewriter() {
    }

    /**
     * The kubeconfig files kubectl would read: {@code --kubeconfig}, else {@code $KUBECONFIG} (entries split
     * by ':', missing ones skipped as kubectl does), else {@code ~/.kube/config}.
     */
    public static List<Path> files(Optional<Path> flag, String kubeconfigEnv, Path home) {
        if (flag.isPresent()) {
            return List.of(flag.get());
        }
        if (kubeconfigEnv != null && !kubeconfigEnv.isBlank()) {
            Set<Path> files = new LinkedHashSet<>();
            for (String p : kubeconfigEnv.split(File.pathSeparator)) {
                if (!p.isBlank() && Files.exists(Path.of(p))) {
                    files.add(Path.of(p));
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("none of the files in KUBECONFIG exists (" + kubeconfigEnv
                        + "); use --kubeconfig");
            }
            return List.copyOf(files);
        }
        return List.of(home.resolve(".kube").resolve("config"));
    }

    /** Reads {@code files} and works out every change; a bad file or an unknown name is an error. */
    public static Plan plan(List<Path> files, Request request) throws IOException {
        List<Parsed> parsed = new ArrayList<>();
        for (Path f : files) {
            parsed.add(read(f));
        }
        // 1. Merge as kubectl does: the first definition of a name wins.
        Map<String, Parsed> clusterFile = new LinkedHashMap<>();
        Map<String, String> contextCluster = new LinkedHashMap<>();
        String currentContext = null;
        for (Parsed p : parsed) {
            for (String name : p.clusterNames()) {
                clusterFile.putIfAbsent(name, p);
            }
            p.contextClusters().forEach(contextCluster::putIfAbsent);
            if (currentContext == null) {
                currentContext = YamlText.scalar(p.root(), "current-context").filter(s -> !s.isBlank()).orElse(null);
            }
        }
        // 2. Pick the clusters.
        List<String> chosen = choose(request.selection(), clusterFile, contextCluster, currentContext, files);
        // 3. Edit each file in turn; re-parse after every edit since offsets move.
        Map<Path, String> texts = new LinkedHashMap<>();
        List<Change> changes = new ArrayList<>();
        for (String cluster : chosen) {
            Parsed p = clusterFile.get(cluster);
            String text = texts.getOrDefault(p.file(), p.text());
            Edited e = rewriteCluster(p.file(), text, cluster, request);
            if (e.change() != null) {
                changes.add(e.change());
                texts.put(p.file(), e.text());
            }
        }
        List<FileEdit> edits = new ArrayList<>();
        for (Parsed p : parsed) {
            String after = texts.get(p.file());
            if (after != null && !after.equals(p.text())) {
                verify(p.file(), p.text(), after, changes, request.tlsServerName());
                edits.add(new FileEdit(p.file(), p.text(), after));
            }
        }
        return new Plan(request.vip(), changes, edits);
    }

    /**
     * Proves a textual edit before anything is written: {@code after} must read back as {@code before} with
     * exactly the intended values changed, as kubectl would load it.
     *
     * @throws IllegalStateException if it does not; the file is then left as it is
     */
    static void verify(Path file, String before, String after, List<Change> changes, Optional<String> tlsServerName) {
        Object expected = load(before);
        for (Change c : changes) {
            if (!c.file().equals(file)) {
                continue;
            }
            Map<String, Object> cluster = clusterValues(expected, c.cluster());
            cluster.put("server", c.newServer());
            tlsServerName.ifPresent(n -> cluster.put("tls-server-name", n));
        }
        Object actual;
        try {
            actual = load(after);
        } catch (RuntimeException e) {
            actual = e;
        }
        if (!expected.equals(actual)) {
            throw new IllegalStateException("karp's edit of " + file + " would not read back as intended (only the"
                    + " server values changed); nothing was changed. Please report this with the file's layout,"
                    + " and edit it with kubectl config set-cluster meanwhile");
        }
    }

    private static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object o = new Yaml(new SafeConstructor(options)).load(text);
        return o == null ? new LinkedHashMap<>() : o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> clusterValues(Object root, String name) {
        if (root instanceof Map<?, ?> m && m.get("clusters") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> e && name.equals(e.get("name")) && e.get("cluster") instanceof Map<?, ?> c) {
                    return (Map<String, Object>) c;
                }
            }
        }
        throw new IllegalStateException("cluster " + name + " vanished while editing");
    }

    /**
     * Connects to each distinct endpoint the new servers name, and reads its certificate. Clusters with
     * {@code insecure-skip-tls-verify} or plain http are skipped: their clients check no certificate.
     */
    public static List<CheckResult> check(Plan plan, CertificateFetcher fetcher) {
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        for (Change c : plan.changes()) {
            c.endpoint(plan.vip()).ifPresent(endpoints::add);
        }
        List<CheckResult> results = new ArrayList<>();
        for (Endpoint e : endpoints) {
            try {
                results.add(new CheckResult(e, Optional.of(fetcher.fetch(e.server().host(), e.server().port())), Optional.empty()));
            } catch (IOException ex) {
                results.add(new CheckResult(e, Optional.empty(), Optional.of(String.valueOf(ex.getMessage()))));
            }
        }
        return results;
    }

    private record Parsed(Path file, String text, Node root) {
        List<String> clusterNames() {
            return names(root, "clusters");
        }

        Map<String, String> contextClusters() {
            Map<String, String> out = new LinkedHashMap<>();
            for (Node entry : items(root, "contexts")) {
                Optional<String> name = YamlText.scalar(entry, "name");
                Optional<String> cluster = YamlText.scalar(entry, "context", "cluster");
                if (name.isPresent()) {
                    out.putIfAbsent(name.get(), cluster.orElse(""));
                }
            }
            return out;
        }
    }

    private record Edited(String text, Change change) {
    }

    private static Parsed read(Path file) throws IOException {
        String text;
        try {
            text = new String(RegularFiles.read(file, MAX_KUBECONFIG_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("kubeconfig " + file + " does not exist; use --kubeconfig or KUBECONFIG");
        } catch (RegularFiles.RefusedException e) {
            throw new IllegalArgumentException("kubeconfig " + file + " " + e.getMessage()
                    + "; karp edits only regular files (after following links)");
        }
        List<Node> docs = YamlText.parse(text, "kubeconfig " + file);
        if (docs.size() > 1) {
            throw new IllegalArgumentException(file + " holds " + docs.size() + " YAML documents; a kubeconfig is one");
        }
        Node root = docs.isEmpty() ? null : docs.get(0);
        if (root == null) {
            return new Parsed(file, text, null);
        }
        if (!(root instanceof MappingNode)) {
            throw new IllegalArgumentException(file + " is not a kubeconfig (expected: a mapping with clusters, contexts"
                    + " and users)");
        }
        Optional<String> kind = YamlText.scalar(root, "kind");
        if (kind.isPresent() && !kind.get().equals("Config")) {
            throw new IllegalArgumentException(file + " is not a kubeconfig (kind: " + kind.get() + ", expected: Config)");
        }
        boolean looksLikeOne = kind.isPresent() || YamlText.entry(root, "clusters").isPresent()
                || YamlText.entry(root, "contexts").isPresent() || YamlText.entry(root, "users").isPresent();
        if (!looksLikeOne) {
            throw new IllegalArgumentException(file + " is not a kubeconfig (no kind: Config, clusters, contexts or users)");
        }
        for (String list : List.of("clusters", "contexts", "users")) {
            Optional<Node> n = YamlText.get(root, list);
            if (n.isPresent() && !YamlText.isNull(n.get()) && !(n.get() instanceof SequenceNode)) {
                throw new IllegalArgumentException(file + " is not a kubeconfig: " + list + " is not a list");
            }
        }
        return new Parsed(file, text, root);
    }

    private static List<String> choose(Selection selection, Map<String, Parsed> clusters,
            Map<String, String> contexts, String currentContext, List<Path> files) {
        String foundClusters = String.join(", ", clusters.keySet());
        String foundContexts = String.join(", ", contexts.keySet());
        String where = files.size() == 1 ? files.get(0).toString() : "KUBECONFIG";
        if (selection instanceof Selection.All) {
            if (clusters.isEmpty()) {
                throw new IllegalArgumentException(where + " defines no clusters");
            }
            return List.copyOf(clusters.keySet());
        }
        if (selection instanceof Selection.Cluster c) {
            if (!clusters.containsKey(c.name())) {
                throw new IllegalArgumentException("kubeconfig has no cluster named \"" + c.name() + "\" (found: "
                        + foundClusters + "); use --cluster");
            }
            return List.of(c.name());
        }
        String context;
        if (selection instanceof Selection.Context c) {
            context = c.name();
            if (!contexts.containsKey(context)) {
                throw new IllegalArgumentException("kubeconfig has no context named \"" + context + "\" (found: "
                        + foundContexts + "); use --context");
            }
        } else {
            if (currentContext == null) {
                throw new IllegalArgumentException(where + " has no current-context; use --context, --cluster or --all");
            }
            context = currentContext;
            if (!contexts.containsKey(context)) {
                throw new IllegalArgumentException("current-context \"" + context + "\" names no context (found: "
                        + foundContexts + "); use --context or --cluster");
            }
        }
        String cluster = contexts.get(context);
        if (cluster.isEmpty()) {
            throw new IllegalArgumentException("context \"" + context + "\" names no cluster; use --cluster");
        }
        if (!clusters.containsKey(cluster)) {
            throw new IllegalArgumentException("context \"" + context + "\" names cluster \"" + cluster
                    + "\", which is not defined (found: " + foundClusters + "); use --cluster");
        }
        return List.of(cluster);
    }

    private static Edited rewriteCluster(Path file, String text, String cluster, Request request) {
        Node root = YamlText.parse(text, "kubeconfig " + file).get(0);
        NodeTuple serverTuple = null;
        MappingNode clusterMap = null;
        for (Node entry : items(root, "clusters")) {
            if (YamlText.scalar(entry, "name").filter(cluster::equals).isPresent()) {
                Optional<Node> c = YamlText.get(entry, "cluster");
                if (c.isEmpty() || !(c.get() instanceof MappingNode m)) {
                    throw new IllegalArgumentException("cluster \"" + cluster + "\" in " + file + " has no cluster: mapping");
                }
                clusterMap = m;
                serverTuple = YamlText.entry(m, "server").orElse(null);
                break;
            }
        }
        if (clusterMap == null || serverTuple == null || !(serverTuple.getValueNode() instanceof ScalarNode serverNode)
                || YamlText.isNull(serverNode)) {
            throw new IllegalArgumentException("cluster \"" + cluster + "\" in " + file + " has no server");
        }
        // A block scalar (server: > or |) ends in a line break kubectl would keep, and refuse as a URL.
        boolean block = serverNode.getScalarStyle() == ScalarStyle.LITERAL
                || serverNode.getScalarStyle() == ScalarStyle.FOLDED;
        String oldServer = block ? serverNode.getValue().strip() : serverNode.getValue();
        String newServer;
        try {
            newServer = ServerUrl.rewrite(oldServer, request.vip(), request.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster \"" + cluster + "\" in " + file + ": " + e.getMessage());
        }
        boolean inFlow = YamlText.isFlow(clusterMap);
        boolean insecure = YamlText.scalar(clusterMap, "insecure-skip-tls-verify").map(Boolean::parseBoolean).orElse(false);
        String result = text;
        if (!newServer.equals(serverNode.getValue())) {
            result = YamlText.replaceScalar(text, serverNode, newServer, inFlow);
        }
        Optional<String> oldName = YamlText.scalar(clusterMap, "tls-server-name");
        if (request.tlsServerName().isPresent() && !request.tlsServerName().equals(oldName)) {
            // Positions come from a fresh parse of the text as it now is.
            Node r = YamlText.parse(result, "kubeconfig " + file).get(0);
            MappingNode m = clusterMapping(r, cluster);
            Optional<NodeTuple> existing = YamlText.entry(m, "tls-server-name");
            if (existing.isPresent() && existing.get().getValueNode() instanceof ScalarNode s && !YamlText.isNull(s)) {
                result = YamlText.replaceScalar(result, s, request.tlsServerName().get(), inFlow);
            } else {
                result = YamlText.addEntryAfter(result, m, YamlText.entry(m, "server").orElseThrow(),
                        "tls-server-name", request.tlsServerName().get());
            }
        }
        if (result.equals(text)) {
            return new Edited(text, null);
        }
        return new Edited(result, new Change(file, cluster, oldServer, newServer,
                request.tlsServerName().or(() -> oldName), insecure));
    }

    private static MappingNode clusterMapping(Node root, String cluster) {
        for (Node entry : items(root, "clusters")) {
            if (YamlText.scalar(entry, "name").filter(cluster::equals).isPresent()) {
                return (MappingNode) YamlText.get(entry, "cluster").orElseThrow();
            }
        }
        throw new IllegalStateException("cluster " + cluster + " vanished while editing");
    }

    private static List<Node> items(Node root, String list) {
        if (root == null) {
            return List.of();
        }
        return YamlText.get(root, list).filter(n -> n instanceof SequenceNode)
                .map(n -> ((SequenceNode) n).getValue()).orElse(List.of());
    }

    private static List<String> names(Node root, String list) {
        return items(root, list).stream().map(e -> YamlText.scalar(e, "name").orElse(null))
                .filter(Objects::nonNull).toList();
    }
}
