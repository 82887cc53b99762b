package dev.karp.cli;

import dev.karp.files.RegularFiles;
import dev.karp.kube.ChartValues;
import dev.karp.kube.KarpImage;
import dev.karp.kube.ManifestGroup;
import dev.karp.kube.ManifestRenderer;
import dev.karp.kube.ManifestSettings;
import dev.karp.kube.PasswordSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code karp render-manifest}: prints the Kubernetes objects that run karp on the control-plane nodes. */
@Command(
        name = "render-manifest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints the Namespace (unless kube-system), password Secret and DaemonSet that run karp on every"
                + " control-plane node, or with --static-pod the Pod for /etc/kubernetes/manifests. With --group,"
                + " also the ConfigMap that holds karp run's config file with the groups.",
            "Flags override --values; both override karp's defaults."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  head -c 12 /dev/urandom | base64 | tr -d '\\n' > karp.pass",
            "  karp render-manifest --vip 192.168.1.100/24 --password-file karp.pass | kubectl apply -f -",
            "  karp render-manifest --vip 192.168.1.100/24 --vip fd00:10::100/64 --peers 192.168.1.11,192.168.1.12,192.168.1.13 --password-file karp.pass",
            "  karp render-manifest --group vhid=10,vip=192.168.1.100/24 --group vhid=11,vip=192.168.1.101/24,advskew=100 --password-file karp.pass",
            "  karp render-manifest --values kube-karp-values.yaml > karp.yaml",
            "  karp render-manifest --vip 192.168.1.100/24 --existing-secret karp-password --auth migrate | kubectl apply -f -",
            "  karp render-manifest --static-pod --vip 192.168.1.100/24 > /etc/kubernetes/manifests/karp.yaml"})
public final class RenderManifestCommand implements Callable<Integer> {
    private static final String PASSWORD_HOWTO = "create one and pass it: head -c 12 /dev/urandom | base64 | tr -d '\\n' > karp.pass,"
            + " then --password-file karp.pass; or --existing-secret NAME (a Secret with key 'password'); or"
            + " --generate-password";

    @Spec
    CommandSpec spec;

    @Option(names = "--vip", paramLabel = "CIDR", description = "The floating IP with the node network's prefix, e.g."
            + " 192.168.1.100/24 or fd00::100/64; repeatable: all of them move together (IPv4 and IPv6: dual stack)."
            + " Required unless --group is given.")
    List<String> vips = new ArrayList<>();

    @Option(names = {"--peer", "--peers"}, paramLabel = "ADDRESS", split = ",", description = "Unicast mode, for"
            + " networks that drop multicast: the address of every node that runs karp (the same list for all;"
            + " each node skips its own). Repeatable or comma-separated: --peers 10.0.0.11,10.0.0.12,10.0.0.13.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--group", paramLabel = "vhid=N,vip=CIDR[,vip=CIDR][,advbase=N][,advskew=N][,preempt=BOOL][,interface=NAME]",
            description = "A CARP group of its own, for several VIPs spread over the nodes; repeatable. karp run then"
                    + " reads the groups from a config file in a ConfigMap; --advbase, --advskew, --preempt and"
                    + " --interface apply to the groups that do not set their own. Not with --vip or --vhid.")
    List<String> groupSpecs = new ArrayList<>();

    @Option(names = {"-i", "--interface"}, paramLabel = "NAME", description = "Interface for the VIP on every node (default: each node's default-route interface).")
    String interfaceName;

    @Option(names = "--vhid", paramLabel = "1..255", description = "Virtual host id, the same on every node (default: 10, as kube-karp's serverId).")
    Integer vhid;

    @Option(names = "--advbase", paramLabel = "SECONDS", description = "Advertisement interval base (default: 1).")
    Integer advbase;

    @Option(names = "--advskew", paramLabel = "0..255", description = "Advertisement skew; lower wins (default: 0).")
    Integer advskew;

    @Option(names = "--profile", paramLabel = "fast", description = "fast: --advbase 0 --advskew 13, an advert every"
            + " 51 ms and a takeover after about 0.11 s instead of 3 s; a master starved of CPU for 0.05-0.1 s loses"
            + " the VIP."
            + " Explicit --advbase/--advskew still win.")
    String profile;

    @Option(names = "--health-url", paramLabel = "URL|off", description = "karp run --health-url: the node gives the VIP"
            + " away while this URL does not answer (default: " + ManifestRenderer.DEFAULT_HEALTH_URL + ", the node's own"
            + " API server; off: no health check).")
    String healthUrl;

    @Option(names = "--auth", paramLabel = "ucarp|migrate|strict", description = "karp run --auth: how adverts are"
            + " authenticated (default: none rendered, karp run's default ucarp). To move a running group to strict,"
            + " apply --auth migrate, wait for the rollout, then --auth strict (docs/operations.md).")
    String auth;

    @Option(names = "--preempt", negatable = true, description = "Take over from a master with a worse advertisement interval.")
    Boolean preempt;

    @Option(names = "--password", paramLabel = "TEXT", description = "The CARP password (1..19 bytes). Prefer --password-file: this one is visible in ps.")
    String password;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the CARP password from the first line of FILE.")
    Path passwordFile;

    @Option(names = "--existing-secret", paramLabel = "NAME", description = "Use the Secret NAME (key 'password') and render none.")
    String existingSecret;

    @Option(names = "--generate-password", description = "Make a random password and print it on stderr, with how to reuse it.")
    boolean generatePassword;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Container image (default: " + KarpImage.REPOSITORY + ":<karp version>).")
    String image;

    @Option(names = "--registry", paramLabel = "HOST[:PORT]", description = "Pull the image from this registry instead, e.g. a mirror.")
    String registry;

    @Option(names = "--image-pull-policy", paramLabel = "POLICY", description = "Always, IfNotPresent or Never (default: IfNotPresent).")
    String imagePullPolicy;

    @Option(names = "--image-pull-secret", paramLabel = "NAME", description = "Secret for pulling the image; repeatable.")
    List<String> imagePullSecrets = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAME", description = "Namespace (default: kube-system).")
    String namespace;

    @Option(names = "--create-namespace", negatable = true, description = "Render the Namespace, labelled for Pod Security 'privileged' (default: when not kube-system).")
    Boolean createNamespace;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the DaemonSet, and prefix of the Secret (default: karp).")
    String name;

    @Option(names = "--node-selector", paramLabel = "KEY=VALUE", description = "Run on nodes with this label instead of the control-plane nodes; repeatable.")
    Map<String, String> nodeSelector = new LinkedHashMap<>();

    @Option(names = "--toleration", paramLabel = "KEY[=VALUE][:EFFECT]", description = "Tolerate a taint as well ('*' for every taint); repeatable.")
    List<String> tolerations = new ArrayList<>();

    @Option(names = "--default-tolerations", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Tolerate the control-plane, master and CriticalAddonsOnly taints (default: on).")
    boolean defaultTolerations = true;

    @Option(names = "--memory-request", paramLabel = "QUANTITY", description = "Memory request (default: " + "96Mi" + ").")
    String memoryRequest;

    @Option(names = "--memory-limit", paramLabel = "QUANTITY", description = "Memory limit (default: 256Mi). There is no CPU limit on purpose: throttling delays adverts.")
    String memoryLimit;

    @Option(names = "--cpu-request", paramLabel = "QUANTITY", description = "CPU request (default: 25m).")
    String cpuRequest;

    @Option(names = "--extra-arg", paramLabel = "ARG", parameterConsumer = VerbatimArgument.class,
            description = "Append ARG to 'karp run' in the container; repeatable.")
    List<String> extraArgs = new ArrayList<>();

    @Option(names = "--static-pod", description = "Render a static Pod for /etc/kubernetes/manifests (kubeadm bootstrap) instead.")
    boolean staticPod;

    @Option(names = "--host-password-file", paramLabel = "PATH", defaultValue = "/etc/karp/password",
            description = "With --static-pod: the password file on each node (default: ${DEFAULT-VALUE}).")
    String hostPasswordFile;

    @Option(names = "--values", paramLabel = "FILE", description = "Read settings from a kube-karp (or karp) Helm values file.")
    Path values;

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", defaultValue = "yaml", description = "Output format (default: yaml).")
    String output;

    @Override
    public Integer call() throws IOException {
        if (!output.equals("yaml") && !output.equals("json")) {
            throw KarpCliException.usage("--output " + output + " is not known (expected: yaml or json)");
        }
        ManifestSettings.Builder b = ManifestSettings.builder();
        try {
            if (values != null) {
                for (String w : ChartValues.apply(read(values, "--values"), values.toString(), b)) {
                    spec.commandLine().getErr().println("karp: warning: " + w);
                }
            }
            applyFlags(b);
            choosePassword(b);
            ManifestSettings settings = b.build();
            List<Map<String, Object>> docs = ManifestRenderer.render(settings);
            spec.commandLine().getOut().print(output.equals("json") ? ManifestRenderer.toJson(docs) : ManifestRenderer.toYaml(docs));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            throw KarpCliException.usage(e.getMessage());
        }
    }

    private void applyFlags(ManifestSettings.Builder b) {
        if (!groupSpecs.isEmpty() && (!vips.isEmpty() || vhid != null)) {
            throw new IllegalArgumentException("--group and " + (vips.isEmpty() ? "--vhid" : "--vip") + " are both"
                    + " given; give each group's vhid and VIPs in its --group (vhid=N,vip=CIDR)");
        }
        // Flags win over --values: --vip replaces the file's groups, --group the file's VIP.
        if (!vips.isEmpty()) {
            b.vips(vips.stream().map(v -> ManifestSettings.parseVip(v.strip())).toList());
            b.groups(List.of());
        }
        if (!peers.isEmpty()) {
            b.peers(peers.stream().map(p -> ManifestSettings.parsePeer(p.strip())).toList());
        }
        if (!groupSpecs.isEmpty()) {
            b.groups(groupSpecs.stream().map(ManifestGroup::parse).toList());
            b.vips(List.of());
        }
        if (interfaceName != null) {
            b.interfaceName(interfaceName);
        }
        if (vhid != null) {
            b.vhid(vhid);
        }
        if (profile != null) {
            b.profile(profile);
        }
        if (advbase != null) {
            b.advbase(advbase);
        }
        if (advskew != null) {
            b.advskew(advskew);
        }
        if (preempt != null) {
            b.preempt(preempt);
        }
        if (healthUrl != null) {
            b.healthUrl(healthUrl.equalsIgnoreCase("off") ? null : healthUrl);
        }
        if (auth != null) {
            b.auth(auth);
        }
        if (image != null) {
            b.image(image);
        }
        if (registry != null) {
            b.image(KarpImage.withRegistry(b.image(), registry));
        }
        if (imagePullPolicy != null) {
            b.imagePullPolicy(imagePullPolicy);
        }
        imagePullSecrets.forEach(b::addImagePullSecret);
        if (namespace != null) {
            b.namespace(namespace);
        }
        if (createNamespace != null) {
            b.createNamespace(createNamespace);
        }
        if (name != null) {
            b.name(name);
        }
        nodeSelector.forEach(b::putNodeSelector);
        if (!defaultTolerations) {
            b.defaultTolerations(false);
        }
        tolerations.forEach(t -> b.addToleration(toleration(t)));
        if (memoryRequest != null) {
            b.memoryRequest(memoryRequest);
        }
        if (memoryLimit != null) {
            b.memoryLimit(memoryLimit);
        }
        if (cpuRequest != null) {
            b.cpuRequest(cpuRequest);
        }
        extraArgs.forEach(b::addExtraArg);
        b.staticPod(staticPod);
    }

    /** Never silently made up: a new password per render would split old and new pods into two masters. */
    private void choosePassword(ManifestSettings.Builder b) throws IOException {
        int given = (password != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (existingSecret != null ? 1 : 0)
                + (generatePassword ? 1 : 0);
        if (given > 1) {
            throw KarpCliException.usage("give one of --password, --password-file, --existing-secret and --generate-password");
        }
        if (staticPod) {
            var err = spec.commandLine().getErr();
            if (b.password() != null) {
                err.println("karp: warning: the password from --values is not used: the static Pod reads "
                        + hostPasswordFile + " on the node");
            }
            if (!nodeSelector.isEmpty() || !tolerations.isEmpty() || !imagePullSecrets.isEmpty()) {
                err.println("karp: warning: --node-selector, --toleration and --image-pull-secret do not apply to a"
                        + " static Pod: the kubelet of the node whose manifests directory holds it runs it");
            }
            if (given > 0) {
                throw KarpCliException.usage("--static-pod reads the password from a file on each node ("
                        + hostPasswordFile + "); write it there: install -m 0400 karp.pass " + hostPasswordFile);
            }
            b.password(new PasswordSource.HostFile(hostPasswordFile));
            return;
        }
        if (password != null) {
            b.password(new PasswordSource.Literal(password));
        } else if (passwordFile != null) {
            b.password(new PasswordSource.Literal(PasswordSource.firstLine(read(passwordFile, "--password-file"))));
        } else if (existingSecret != null) {
            b.password(new PasswordSource.ExistingSecret(existingSecret));
        } else if (generatePassword) {
            String generated = PasswordSource.generate(new SecureRandom());
            b.password(new PasswordSource.Literal(generated));
            var err = spec.commandLine().getErr();
            err.println("karp: generated the CARP password " + generated + "; every node needs this same one, so keep it:");
            err.println("karp:   printf '%s\\n' '" + generated + "' > karp.pass && chmod 600 karp.pass");
            err.println("karp:   and render again with --password-file karp.pass instead of --generate-password");
        } else if (b.password() == null) {
            throw KarpCliException.usage("no password: karp never makes one up unasked, since a new one per render splits"
                    + " old and new pods into two masters; " + PASSWORD_HOWTO
                    + (values != null ? " (kube-karp users: reuse the running one, kubectl get ds -A -o jsonpath='{..env[?(@.name==\"KARP_PASSWORD\")].value}')" : ""));
        }
    }

    /**
     * Takes the next word as {@code --extra-arg}'s value even when it looks like one of render-manifest's own options:
     * it is an argument for karp run. picocli refuses such a value by default, so {@code --extra-arg --auth=migrate},
     * the way the docs gave the mode before {@code --auth} was an option here, would have failed with a message that
     * names no fix (and {@code --extra-arg --password=...} with the password in it).
     */
    static final class VerbatimArgument implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (args.isEmpty()) {
                throw new ParameterException(commandSpec.commandLine(), "--extra-arg needs a value (expected: an"
                        + " argument for karp run, e.g. --extra-arg=--debug)");
            }
            List<String> list = argSpec.getValue();
            list.add(args.pop());
        }
    }

    /** {@code KEY[=VALUE][:EFFECT]} as kubectl taint writes taints; {@code *} tolerates every taint. */
    static Map<String, Object> toleration(String spec) {
        Map<String, Object> t = new LinkedHashMap<>();
        if (spec.equals("*")) {
            t.put("operator", "Exists");
            return t;
        }
        String rest = spec;
        String effect = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            effect = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
                throw new IllegalArgumentException("--toleration " + spec + ": effect " + effect
                        + " is not known (expected: NoSchedule, PreferNoSchedule or NoExecute)");
            }
        }
        int eq = rest.indexOf('=');
        String key = eq < 0 ? rest : rest.substring(0, eq);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("--toleration " + spec + " has no key (expected: KEY[=VALUE][:EFFECT] or '*')");
        }
        t.put("key", key);
        if (eq < 0) {
            t.put("operator", "Exists");
        } else {
            t.put("operator", "Equal");
            t.put("value", rest.substring(eq + 1));
        }
        if (effect != null) {
            t.put("effect", effect);
        }
        return t;
    }

    private static String read(Path file, String option) throws IOException {
        try {
            // A FIFO would block and a device never end: only a regular file of a sensible size is read.
            return new String(RegularFiles.read(file, MAX_INPUT_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw KarpCliException.usage(option + " " + file + " does not exist");
        } catch (RegularFiles.RefusedException e) {
            throw KarpCliException.usage(option + " " + file + " " + e.getMessage());
        }
    }

    /** A values file or a password file is far smaller. */
    private static final long MAX_INPUT_BYTES = 1024 * 1024;
}
