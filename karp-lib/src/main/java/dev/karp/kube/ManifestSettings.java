package dev.karp.kube;

import dev.karp.carp.AuthMode;
import dev.karp.config.Setting;
import dev.karp.net.Cidr;
import dev.karp.net.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a user may change in the rendered manifests. Built by {@link Builder}, which holds the defaults
 * and checks each value once, naming the option that set it.
 *
 * @param vips           the VIPs of the single group (IPv4, IPv6 or both); empty when {@code groups} is not
 * @param healthUrl      the {@code --health-url} of {@code karp run}, or null for no health check
 * @param affinity       the pod affinity; empty means none (a node selector replaced the default)
 * @param tolerations    tolerations in addition to {@link ManifestRenderer#DEFAULT_TOLERATIONS} when
 *                       {@code defaultTolerations} is set
 * @param peers          {@code karp run --peer}: unicast adverts to these addresses instead of multicast; empty
 *                       for multicast
 * @param groups         several CARP groups, rendered into a ConfigMap holding karp run's config file; empty
 *                       for the single group of {@code vips}, {@code vhid}, {@code advbase}... as flags
 * @param auth           {@code karp run --auth} for every group, or null to render none (karp run's default,
 *                       {@code ucarp}), so that a manifest rendered before the option existed renders the same
 */
public record ManifestSettings(
        List<Cidr> vips,
        String interfaceName,
        int vhid,
        int advbase,
        int advskew,
        boolean preempt,
        String healthUrl,
        PasswordSource password,
        String image,
        String imagePullPolicy,
        List<String> imagePullSecrets,
        String name,
        String namespace,
        boolean createNamespace,
        Map<String, String> nodeSelector,
        Map<String, Object> affinity,
        boolean defaultTolerations,
        List<Map<String, Object>> tolerations,
        Resources resources,
        List<String> extraArgs,
        Map<String, String> annotations,
        Map<String, String> podAnnotations,
        Map<String, Object> podSecurityContext,
        boolean staticPod,
        List<InetAddress> peers,
        List<ManifestGroup> groups,
        AuthMode auth) {

    /** Memory request and limit, CPU request. There is deliberately no CPU limit: see {@link ManifestRenderer}. */
    public record Resources(String memoryRequest, String memoryLimit, String cpuRequest) {
        /**
         * Sized for the JVM daemon plus one {@code karp status} or {@code karp healthcheck} JVM that someone may
         * start with {@code kubectl exec} inside the same cgroup (the probes themselves start none).
         */
        public static final Resources DEFAULT = new Resources("96Mi", "256Mi", "25m");
    }

    /**
     * The tuned profile ({@code --profile fast}, chart value {@code profile: fast}): advbase 0 with advskew 13, an
     * advert every 13/256 s = 51 ms and a takeover after two missing adverts and a guard, about 0.11 s (docs/protocol.md,
     * "Master-down at advbase 0"), instead of about 3 s. docs/operations.md ("Fast failover") says what it costs.
     */
    public static final String FAST_PROFILE = "fast";
    public static final int FAST_ADVBASE = 0;
    public static final int FAST_ADVSKEW = 13;

    /** Copies the lists and maps, so settings never change after they are built. */
    public ManifestSettings {
        vips = List.copyOf(vips);
        peers = List.copyOf(peers);
        groups = List.copyOf(groups);
        imagePullSecrets = List.copyOf(imagePullSecrets);
        nodeSelector = Map.copyOf(nodeSelector);
        tolerations = List.copyOf(tolerations);
        extraArgs = List.copyOf(extraArgs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses render-manifest's {@code --vip ADDRESS/PREFIX}. The prefix is required, because it decides the route
     * karp adds, and is at least /1.
     *
     * @throws IllegalArgumentException naming {@code --vip} and the problem
     */
    public static Cidr parseVip(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--vip " + text + " has no prefix length (expected: CIDR such as "
                    + text + "/24, the prefix of the node network)");
        }
        InetAddress address = IpAddresses.require(text.substring(0, slash), "--vip");
        String p = text.substring(slash + 1);
        if (!p.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("--vip " + text + " has a bad prefix length (expected: e.g. /24)");
        }
        int prefix = Integer.parseInt(p);
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 1 || prefix > max) {
            throw new IllegalArgumentException("--vip " + text + ": prefix /" + prefix + " is out of range (expected: 1.."
                    + max + ")");
        }
        return Cidr.of(address, prefix);
    }

    /**
     * Parses render-manifest's {@code --peer ADDRESS}: an IPv4 or IPv6 unicast address, without a prefix.
     *
     * @throws IllegalArgumentException naming {@code --peer} and the problem
     */
    public static InetAddress parsePeer(String text) {
        InetAddress a = IpAddresses.parse(text).orElseThrow(() -> new IllegalArgumentException("--peer " + text
                + " is not an IP address (expected: a node's address such as 192.168.1.11 or fd00::11, no prefix)"));
        if (a.isMulticastAddress() || a.isAnyLocalAddress() || a.isLoopbackAddress()) {
            throw new IllegalArgumentException("--peer " + text + " is not a node's unicast address (expected: the"
                    + " address of a control-plane node on the VIP's network)");
        }
        return a;
    }

    /**
     * An interface name as Linux takes it (up to 15 characters, no '/', ':' or white space), also limited to
     * printable ASCII without quotes or backslashes, so that it is written into a config file the same way by
     * karp and by the Helm chart.
     */
    public static boolean isInterfaceName(String name) {
        return name != null && IFNAME.matcher(name).matches();
    }

    private static final Pattern IFNAME = Pattern.compile("[!-~&&[^/:\"\\\\]]{1,15}");

    /** Collects settings from a values file and the command line (later calls win), then checks them. */
    public static final class Builder {
        private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
        private static final Pattern QUANTITY = Pattern.compile("\\d+(\\.\\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?");

        private final List<Cidr> vips = new ArrayList<>();
        private final List<InetAddress> peers = new ArrayList<>();
        private final List<ManifestGroup> groups = new ArrayList<>();
        private String interfaceName;
        private int vhid = 10;
        private int advbase = 1;
        private int advskew = 0;
        private boolean preempt;
        private String healthUrl = ManifestRenderer.DEFAULT_HEALTH_URL;
        private PasswordSource password;
        private String image = KarpImage.DEFAULT;
        private String imagePullPolicy = "IfNotPresent";
        private final List<String> imagePullSecrets = new ArrayList<>();
        private String name = "karp";
        private String namespace = "kube-system";
        private Boolean createNamespace;
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private Map<String, Object> affinity;
        private boolean defaultTolerations = true;
        private final List<Map<String, Object>> tolerations = new ArrayList<>();
        private String memoryRequest = Resources.DEFAULT.memoryRequest();
        private String memoryLimit = Resources.DEFAULT.memoryLimit();
        private String cpuRequest = Resources.DEFAULT.cpuRequest();
        private final List<String> extraArgs = new ArrayList<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private final Map<String, String> podAnnotations = new LinkedHashMap<>();
        private Map<String, Object> podSecurityContext = Map.of();
        private boolean staticPod;
        private AuthMode auth;

        /** The one VIP of the single group, replacing any given before (a values file's, say). */
        public Builder vip(Cidr v) {
            vips.clear();
            vips.add(v);
            return this;
        }

        /** The VIPs of the single group, replacing any given before; IPv4 and IPv6 may be mixed. */
        public Builder vips(List<Cidr> v) {
            vips.clear();
            vips.addAll(v);
            return this;
        }

        /** The unicast peers, replacing any given before; empty: multicast. */
        public Builder peers(List<InetAddress> v) {
            peers.clear();
            peers.addAll(v);
            return this;
        }

        /** The groups, replacing any given before; empty: the single group of {@link #vips}. */
        public Builder groups(List<ManifestGroup> v) {
            groups.clear();
            groups.addAll(v);
            return this;
        }

        /** Null: karp run picks the default-route interface on each node. */
        public Builder interfaceName(String v) {
            interfaceName = v == null || v.isBlank() ? null : v;
            return this;
        }

        public Builder vhid(int v) {
            vhid = v;
            return this;
        }

        public Builder advbase(int v) {
            advbase = v;
            return this;
        }

        public Builder advskew(int v) {
            advskew = v;
            return this;
        }

        public Builder preempt(boolean v) {
            preempt = v;
            return this;
        }

        /** Null or blank: no health check. */
        public Builder healthUrl(String v) {
            healthUrl = v == null || v.isBlank() ? null : v.trim();
            return this;
        }

        /**
         * Applies a named profile; it sets advbase and advskew, so later calls to those win over it.
         *
         * @throws IllegalArgumentException for a profile other than {@value #FAST_PROFILE}
         */
        public Builder profile(String name) {
            if (!FAST_PROFILE.equals(name)) {
                throw new IllegalArgumentException("--profile " + name + " is not known (expected: " + FAST_PROFILE + ")");
            }
            advbase = FAST_ADVBASE;
            advskew = FAST_ADVSKEW;
            return this;
        }

        public Builder password(PasswordSource v) {
            password = v;
            return this;
        }

        public PasswordSource password() {
            return password;
        }

        public Builder image(String v) {
            image = v;
            return this;
        }

        public String image() {
            return image;
        }

        public Builder imagePullPolicy(String v) {
            imagePullPolicy = v;
            return this;
        }

        public Builder addImagePullSecret(String v) {
            if (!imagePullSecrets.contains(v)) {
                imagePullSecrets.add(v);
            }
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder namespace(String v) {
            namespace = v;
            return this;
        }

        public Builder createNamespace(Boolean v) {
            createNamespace = v;
            return this;
        }

        /** A node selector replaces the control-plane affinity, unless an affinity is set as well. */
        public Builder putNodeSelector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        public Builder affinity(Map<String, Object> v) {
            affinity = v;
            return this;
        }

        public Builder defaultTolerations(boolean v) {
            defaultTolerations = v;
            return this;
        }

        public Builder addToleration(Map<String, Object> v) {
            if (!tolerations.contains(v)) {
                tolerations.add(v);
            }
            return this;
        }

        public Builder memoryRequest(String v) {
            memoryRequest = v;
            return this;
        }

        public Builder memoryLimit(String v) {
            memoryLimit = v;
            return this;
        }

        public Builder cpuRequest(String v) {
            cpuRequest = v;
            return this;
        }

        public Builder addExtraArg(String v) {
            extraArgs.add(v);
            return this;
        }

        public Builder putAnnotation(String k, String v) {
            annotations.put(k, v);
            return this;
        }

        public Builder putPodAnnotation(String k, String v) {
            podAnnotations.put(k, v);
            return this;
        }

        public Builder podSecurityContext(Map<String, Object> v) {
            podSecurityContext = v;
            return this;
        }

        public Builder staticPod(boolean v) {
            staticPod = v;
            return this;
        }

        /**
         * {@code karp run --auth}: {@code ucarp}, {@code migrate} or {@code strict} (any case); null: none rendered.
         *
         * @throws IllegalArgumentException naming {@code --auth} and the modes there are
         */
        public Builder auth(String word) {
            auth = word == null ? null : AuthMode.parse(word).orElseThrow(() -> new IllegalArgumentException("--auth "
                    + (word.isBlank() ? "''" : word) + " is not an authentication mode (expected: " + AuthMode.choices()
                    + ")"));
            return this;
        }

        /** Checks every value and names the option at fault: {@code --advskew 300 is out of range (expected: 0..255)}. */
        public ManifestSettings build() {
            if (vips.isEmpty() && groups.isEmpty()) {
                throw new IllegalArgumentException("--vip is required (expected: CIDR such as 192.168.1.100/24)");
            }
            range("--vhid", vhid, 1, 255);
            range("--advbase", advbase, 0, 255);
            range("--advskew", advskew, 0, 255);
            if (groups.isEmpty()) {
                checkInterval("", advbase, advskew);
                checkVips();
            } else {
                checkGroups();
            }
            checkPeers();
            if (interfaceName != null && !isInterfaceName(interfaceName)) {
                throw new IllegalArgumentException("--interface " + interfaceName
                        + " is not an interface name (expected: up to 15 characters, e.g. eth0)");
            }
            if (healthUrl != null) {
                checkHealthUrl(healthUrl);
            }
            label("--name", name);
            label("--namespace", namespace);
            if (Boolean.TRUE.equals(createNamespace) && namespace.equals("kube-system")) {
                throw new IllegalArgumentException("--create-namespace: kube-system always exists; choose another"
                        + " --namespace or drop --create-namespace");
            }
            boolean makeNamespace = createNamespace == null ? !namespace.equals("kube-system") : createNamespace;
            if (!List.of("Always", "IfNotPresent", "Never").contains(imagePullPolicy)) {
                throw new IllegalArgumentException("--image-pull-policy " + imagePullPolicy
                        + " is not valid (expected: Always, IfNotPresent or Never)");
            }
            if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--image '" + image + "' is not an image reference");
            }
            quantity("--memory-request", memoryRequest);
            quantity("--memory-limit", memoryLimit);
            quantity("--cpu-request", cpuRequest);
            if (password == null) {
                throw new IllegalArgumentException("no password given");
            }
            if (staticPod != (password instanceof PasswordSource.HostFile)) {
                throw new IllegalArgumentException(staticPod
                        ? "--static-pod reads the password from a file on the node (--host-password-file)"
                        : "a password file on the node is only for --static-pod");
            }
            imagePullSecrets.forEach(s -> label("--image-pull-secret", s));
            extraArgs.forEach(Builder::refusePasswordFlag);
            if (auth != null) {
                extraArgs.stream().filter(Builder::isAuthFlag).findFirst().ifPresent(this::refuseSecondAuth);
            }
            if (password instanceof PasswordSource.ExistingSecret e) {
                label("--existing-secret", e.name());
            }
            Map<String, Object> aff = affinity != null ? affinity
                    : nodeSelector.isEmpty() ? ManifestRenderer.controlPlaneAffinity() : Map.of();
            return new ManifestSettings(vips, interfaceName, vhid, advbase, advskew, preempt, healthUrl, password, image,
                    imagePullPolicy, imagePullSecrets, name, namespace, makeNamespace, nodeSelector, aff,
                    defaultTolerations, tolerations, new Resources(memoryRequest, memoryLimit, cpuRequest), extraArgs,
                    new LinkedHashMap<>(annotations), new LinkedHashMap<>(podAnnotations),
                    Objects.requireNonNullElse(podSecurityContext, Map.of()), staticPod, peers, groups, auth);
        }

        /** ucarp-spec §5 and §4.12: UCarp refuses advbase 0 with advskew 0 (an advert interval of zero). */
        private static void checkInterval(String where, int advbase, int advskew) {
            if (advbase == 0 && advskew == 0) {
                throw new IllegalArgumentException(where + "--advbase 0 needs --advskew above 0 (the advert interval"
                        + " would be 0)");
            }
        }

        /** The same address twice is a typo; karp run would announce it once. */
        private void checkVips() {
            for (int i = 0; i < vips.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (vips.get(i).sameAddress(vips.get(j))) {
                        throw new IllegalArgumentException("--vip " + vips.get(i) + " is given twice (also as "
                                + vips.get(j) + "); give each address once");
                    }
                }
            }
        }

        /**
         * One vhid and one address belong to one group only: two groups with one vhid would be one CARP group
         * with two passwords' worth of confusion, and an address in two groups would be added by two masters.
         */
        private void checkGroups() {
            if (!vips.isEmpty()) {
                throw new IllegalArgumentException("the VIP is given both on its own (--vip, envVars.virtualIp) and in"
                        + " groups (--group, groups:); give every VIP in its group");
            }
            if (staticPod) {
                throw new IllegalArgumentException("--static-pod cannot hold groups: a static Pod cannot mount the"
                        + " ConfigMap with karp run's config file; render a DaemonSet for groups");
            }
            Map<Integer, ManifestGroup> byVhid = new LinkedHashMap<>();
            Map<InetAddress, ManifestGroup> byAddress = new LinkedHashMap<>();
            for (ManifestGroup g : groups) {
                if (byVhid.putIfAbsent(g.vhid(), g) != null) {
                    throw new IllegalArgumentException("vhid " + g.vhid() + " is in two groups; every group needs its"
                            + " own vhid");
                }
                for (Cidr c : g.vips()) {
                    ManifestGroup other = byAddress.putIfAbsent(c.address(), g);
                    if (other != null) {
                        throw new IllegalArgumentException("VIP " + IpAddresses.format(c.address()) + " is in the"
                                + " groups with vhid " + other.vhid() + " and " + g.vhid() + "; an address belongs to"
                                + " one group only");
                    }
                }
                checkInterval("group vhid " + g.vhid() + ": ", Objects.requireNonNullElse(g.advbase(), advbase),
                        Objects.requireNonNullElse(g.advskew(), advskew));
            }
        }

        /**
         * A DaemonSet gives every node the same list, so it must name every node: one address means a node that
         * hears nobody and takes the VIP alone, which karp run refuses.
         */
        private void checkPeers() {
            for (int i = 0; i < peers.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (peers.get(i).equals(peers.get(j))) {
                        throw new IllegalArgumentException("--peer " + IpAddresses.format(peers.get(i))
                                + " is given twice; give each node's address once");
                    }
                }
            }
            if (peers.size() == 1) {
                throw new IllegalArgumentException("--peer " + IpAddresses.format(peers.get(0)) + " is the only peer;"
                        + " give the address of every node that runs karp (at least two), the same list for all");
            }
        }

        /**
         * A password in the args is in clear text for anyone who can read the DaemonSet or the node's process
         * list, and beside the mounted --password-file {@code karp run} refuses to start at all.
         */
        private static void refusePasswordFlag(String arg) {
            String flag = null;
            if (arg.startsWith("--")) {
                String name = arg.substring(2).split("=", 2)[0];
                Optional<Setting> s = Setting.byLongName(name);
                boolean password = name.startsWith("pass") || s.filter(x -> x == Setting.PASS || x == Setting.PASSFILE)
                        .isPresent();
                flag = password ? "--" + name : null;
            } else if (arg.startsWith("-") && arg.length() > 1) {
                // A cluster of short options (-Pp): the first one that takes a value ends it.
                for (char c : arg.substring(1).toCharArray()) {
                    Optional<Setting> s = Setting.byShortName(c);
                    if (s.isPresent() && (s.get() == Setting.PASS || s.get() == Setting.PASSFILE)) {
                        flag = "-" + c;
                        break;
                    }
                    if (s.isEmpty() || s.get().takesValue()) {
                        break;
                    }
                }
            }
            if (flag != null) {
                throw new IllegalArgumentException("--extra-arg " + flag + "... would put the password (or its file)"
                        + " in the DaemonSet's args, in clear text and beside the mounted password file, which"
                        + " 'karp run' refuses; give the password with --password-file, --existing-secret or"
                        + " --generate-password");
            }
        }

        private static boolean isAuthFlag(String arg) {
            return arg.equals("--auth") || arg.startsWith("--auth=");
        }

        /**
         * karp run refuses an option given twice on its command line, so {@code --auth} beside an extra
         * {@code --auth=...} (the way docs/operations.md gave the mode before render-manifest had the option) would
         * render pods that never start.
         */
        private void refuseSecondAuth(String arg) {
            throw new IllegalArgumentException("--auth " + auth.word() + " and the extra argument " + arg + " are both"
                    + " given (karp run refuses --auth twice); drop the extra argument (--extra-arg, extraArgs or"
                    + " envVars.extraFlags) and give the mode with --auth only (chart value auth)");
        }

        private static void range(String option, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " " + value + " is out of range (expected: " + min + ".." + max + ")");
            }
        }

        private static void checkHealthUrl(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                uri = null;
            }
            String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("--health-url " + url + " is not an http:// or https:// URL with a host"
                        + " (expected e.g. " + ManifestRenderer.DEFAULT_HEALTH_URL + ", or off)");
            }
        }

        private static void label(String option, String value) {
            if (value == null || !DNS_LABEL.matcher(value).matches()) {
                throw new IllegalArgumentException(option + " " + value
                        + " is not a valid name (expected: lower-case letters, digits and '-', at most 63)");
            }
        }

        private static void quantity(String option, String value) {
            if (value == null || !QUANTITY.matcher(value).matches()) {
                throw new IllegalArgumentException(option + " " + value + " is not a quantity (expected: e.g. 128Mi or 25m)");
            }
        }
    }
}
