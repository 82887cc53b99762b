package dev.karp.config;

import dev.karp.net.Cidr;
import dev.karp.carp.Carp;
import dev.karp.carp.AuthMode;
import dev.karp.carp.CarpPassword;
import dev.karp.files.RegularFiles;
import java.io.ByteArrayInputStream;
import dev.karp.net.IpAddresses;
import dev.karp.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the effective {@link KarpConfig} of {@code karp run} from its sources, checking everything once,
 * before anything touches the host.
 *
 * <p>Precedence, highest first: command-line flags; the environment (kube-karp's {@code KARP_*} variables,
 * with {@code KARP_EXTRA_FLAGS} above the other variables, as kube-karp's entrypoint put them last on
 * UCarp's command line); the YAML file named by {@code --config}; defaults. A password and a VIP are each one
 * setting with two spellings ({@code --pass}/{@code --passfile}, {@code --addr}/{@code --vip}): the highest
 * source that gives either spelling wins, and giving both spellings in one source is an error.
 *
 * <p>Every error is a {@link ConfigException} whose message names the option and, when it did not come
 * from the command line, where it came from.
 */
public final class ConfigLoader {
    public static final String KARP_INTERFACE = "KARP_INTERFACE";
    public static final String KARP_HOST_IP = "KARP_HOST_IP";
    public static final String KARP_VIRTUAL_IP = "KARP_VIRTUAL_IP";
    public static final String KARP_SUBNET = "KARP_SUBNET";
    public static final String KARP_SERVER_ID = "KARP_SERVER_ID";
    public static final String KARP_PASSWORD = "KARP_PASSWORD";
    public static final String KARP_UPSCRIPT = "KARP_UPSCRIPT";
    public static final String KARP_DOWNSCRIPT = "KARP_DOWNSCRIPT";
    public static final String KARP_EXTRA_FLAGS = "KARP_EXTRA_FLAGS";
    public static final String KARP_DEBUG = "KARP_DEBUG";
    /** karp's own: the unicast peers, comma-separated, as {@code --peer} takes them. */
    public static final String KARP_PEERS = "KARP_PEERS";
    /** karp's own: {@code --auth}, so a DaemonSet can be rolled from one mode to the next. */
    public static final String KARP_AUTH = "KARP_AUTH";

    /** The kube-karp image's variables and the option each one sets (KARP_SUBNET is handled apart). */
    /** A password is one line of at most 19 bytes; a bigger file is a mistake (or /dev/zero). */
    /** A CA bundle of hundreds of certificates is well below this. */
    static final long MAX_CA_FILE_BYTES = 4L * 1024 * 1024;
    /** kube-karp's README and manifests publish this one; a group using it has no password. */
    private static final byte[] KUBE_KARP_DEFAULT_PASSWORD = "RAnDoM_max16char".getBytes(StandardCharsets.US_ASCII);

    private static final Map<String, Setting> SIMPLE_VARIABLES = Map.of(
            KARP_INTERFACE, Setting.INTERFACE,
            KARP_HOST_IP, Setting.SRCIP,
            KARP_SERVER_ID, Setting.VHID,
            KARP_PASSWORD, Setting.PASS,
            KARP_UPSCRIPT, Setting.UPSCRIPT,
            KARP_DOWNSCRIPT, Setting.DOWNSCRIPT,
            KARP_PEERS, Setting.PEER,
            KARP_AUTH, Setting.AUTH);

    private final HostInterfaces host;

    public ConfigLoader(HostInterfaces host) {
        this.host = host;
    }

    /** A value and where it came from. */
    private record Given(String value, Origin origin) {
    }

    /** The values of one source; {@code subnet} is KARP_SUBNET, which only the environment has. */
    private record Layer(String name, Map<Setting, Given> values, Optional<Given> subnet) {
        Optional<Given> get(Setting s) {
            return Optional.ofNullable(values.get(s));
        }
    }

    /**
     * Loads and checks the configuration when {@code KARP_EXTRA_FLAGS} is not in play: the same as
     * {@link #load(Map, Map, Map)} with no extra flags.
     */
    public LoadedConfig load(Map<Setting, String> flags, Map<String, String> environment) {
        return load(flags, Map.of(), environment);
    }

    /**
     * Loads and checks the configuration.
     *
     * @param flags       the options given on the command line, as typed ({@code "true"} for a switch)
     * @param extraFlags  the options in {@code KARP_EXTRA_FLAGS}, in the same form: the caller parses the variable
     *                    with its command-line parser (karp-cli's picocli options), so one declaration of the
     *                    options serves both; this loader never reads that variable itself
     * @param environment the process environment (only the other {@code KARP_*} variables are read)
     * @return the configuration, with warnings to print and where each value came from
     * @throws ConfigException for the first problem found
     */
    public LoadedConfig load(Map<Setting, String> flags, Map<Setting, String> extraFlags,
            Map<String, String> environment) {
        // 1. Collect the sources, highest precedence first.
        Map<Setting, Given> cli = new LinkedHashMap<>();
        flags.forEach((s, v) -> cli.put(s, new Given(v, Origin.COMMAND_LINE)));
        Layer commandLine = new Layer("the command line", cli, Optional.empty());
        Layer env = environmentLayer(extraFlags, environment);
        List<Layer> layers = new ArrayList<>(List.of(commandLine, env));
        Optional<Given> configFile = first(layers, Setting.CONFIG);
        List<Map<String, String>> groups = List.of();
        Origin groupsOrigin = Origin.COMMAND_LINE;
        if (configFile.isPresent()) {
            Path path = Path.of(configFile.get().value());
            Map<Setting, Given> fromFile = new LinkedHashMap<>();
            YamlConfigFile.Contents contents = YamlConfigFile.readContents(path);
            contents.values().forEach((s, v) -> fromFile.put(s, new Given(v, Origin.file(path.toString()))));
            layers.add(new Layer(path.toString(), fromFile, Optional.empty()));
            groups = contents.groups();
            groupsOrigin = Origin.file(path.toString());
            if (!groups.isEmpty()) {
                for (Setting s : List.of(Setting.VHID, Setting.VIP, Setting.ADDR)) {
                    Optional<Given> g = first(layers, s);
                    if (g.isPresent()) {
                        throw new ConfigException(s.flag() + g.get().origin().inMessage() + " and the groups: list of --config "
                                + path + " are both given; put the " + (s == Setting.VHID ? "vhid" : "VIP")
                                + " in a group");
                    }
                }
            }
        }
        for (Layer layer : layers) {
            refuseBothSpellings(layer, Setting.PASS, Setting.PASSFILE);
            refuseBothSpellings(layer, Setting.ADDR, Setting.VIP);
        }
        if (first(layers, Setting.DAEMONIZE).filter(g -> g.value().equals("true")).isPresent()) {
            throw new ConfigException("--daemonize is not supported: karp stays in the foreground; "
                    + "run it from systemd or as a container");
        }

        // 2. Turn each value into its type; every problem names the option and its source.
        Resolution r = new Resolution(layers, groups, groupsOrigin);
        return r.resolve();
    }

    private static void refuseBothSpellings(Layer layer, Setting a, Setting b) {
        if (layer.values().containsKey(a) && layer.values().containsKey(b)) {
            String where = layer.values().get(a).origin().equals(layer.values().get(b).origin())
                    ? layer.values().get(a).origin().inMessage()
                    : " (from " + layer.values().get(a).origin().describe() + " and "
                            + layer.values().get(b).origin().describe() + ")";
            throw new ConfigException(a.flag() + " and " + b.flag() + " are both given" + where + "; use one");
        }
    }

    private static Optional<Given> first(List<Layer> layers, Setting s) {
        return layers.stream().map(l -> l.get(s)).flatMap(Optional::stream).findFirst();
    }

    private static Layer environmentLayer(Map<Setting, String> extraFlags, Map<String, String> environment) {
        Map<Setting, Given> values = new LinkedHashMap<>();
        // kube-karp's image declares its variables empty ("ENV KARP_INTERFACE="), meaning "not set".
        java.util.function.Function<String, Optional<String>> var = name ->
                Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
        SIMPLE_VARIABLES.forEach((name, setting) ->
                var.apply(name).ifPresent(v -> values.put(setting, new Given(v, Origin.environment(name)))));
        var.apply(KARP_VIRTUAL_IP).ifPresent(v -> values.put(v.contains("/") ? Setting.VIP : Setting.ADDR,
                new Given(v, Origin.environment(KARP_VIRTUAL_IP))));
        Optional<Given> subnet = var.apply(KARP_SUBNET).map(v -> new Given(v, Origin.environment(KARP_SUBNET)));
        // kube-karp's entrypoint passed --xparam=$KARP_SUBNET, so its users' scripts expect the prefix as $3.
        subnet.ifPresent(g -> values.put(Setting.XPARAM, g));
        var.apply(KARP_DEBUG).ifPresent(v -> values.put(Setting.DEBUG,
                new Given(Boolean.toString(debugEnabled(v)), Origin.environment(KARP_DEBUG))));
        if (!extraFlags.isEmpty()) {
            Origin origin = Origin.environment(KARP_EXTRA_FLAGS);
            Map<Setting, Given> extraValues = new LinkedHashMap<>();
            extraFlags.forEach((s, v) -> extraValues.put(s, new Given(v, origin)));
            refuseBothSpellings(new Layer(KARP_EXTRA_FLAGS, extraValues, Optional.empty()), Setting.PASS, Setting.PASSFILE);
            refuseBothSpellings(new Layer(KARP_EXTRA_FLAGS, extraValues, Optional.empty()), Setting.ADDR, Setting.VIP);
            // The extra flags came last on kube-karp's ucarp command line, so they replace the variables.
            if (extraValues.containsKey(Setting.PASS) || extraValues.containsKey(Setting.PASSFILE)) {
                values.remove(Setting.PASS);
                values.remove(Setting.PASSFILE);
            }
            if (extraValues.containsKey(Setting.ADDR) || extraValues.containsKey(Setting.VIP)) {
                values.remove(Setting.ADDR);
                values.remove(Setting.VIP);
            }
            values.putAll(extraValues);
        }
        return new Layer("the environment", values, subnet);
    }

    /** kube-karp enabled debugging for any non-empty KARP_DEBUG; karp also reads 0/false/no/off as off. */
    private static boolean debugEnabled(String value) {
        return !List.of("0", "false", "no", "off").contains(value.toLowerCase(Locale.ROOT));
    }

    /** One resolution pass: picks each value from the layers, parses it, checks it against the host. */
    private final class Resolution {
        private final List<Layer> layers;
        private final List<String> warnings = new ArrayList<>();
        private final Map<String, Origin> origins = new LinkedHashMap<>();
        private final List<Map<String, String>> groups;
        private final Origin groupsOrigin;

        Resolution(List<Layer> layers, List<Map<String, String>> groups, Origin groupsOrigin) {
            this.layers = layers;
            this.groups = groups;
            this.groupsOrigin = groupsOrigin;
        }

        LoadedConfig resolve() {
            KarpConfig.Builder b = KarpConfig.builder();
            Map<Setting, Origin> used = new LinkedHashMap<>();

            // Numbers first: they need nothing from the host.
            b.vhid(number(Setting.VHID, KarpConfig.DEFAULT_VHID, 1, 255, "kube-karp's KARP_SERVER_ID", used));
            b.advbase(number(Setting.ADVBASE, KarpConfig.DEFAULT_ADVBASE, 0, 255, "", used));
            b.advskew(number(Setting.ADVSKEW, KarpConfig.DEFAULT_ADVSKEW, 0, 255, "", used));
            b.deadratio(number(Setting.DEADRATIO, KarpConfig.DEFAULT_DEADRATIO, 1, 255, "", used));
            b.garpCount(number(Setting.GARP_COUNT, KarpConfig.DEFAULT_GARP_COUNT, 1, KarpConfig.MAX_GARP_COUNT, "", used));
            CarpPassword password = password(used);
            if (password.equals(CarpPassword.ofBytes(KUBE_KARP_DEFAULT_PASSWORD))) {
                warnings.add("the password is kube-karp's published default password, so anyone who read its"
                        + " README can join or take over this group; choose your own");
            }
            b.password(password);
            for (Setting s : List.of(Setting.PREEMPT, Setting.NEUTRAL, Setting.SHUTDOWN, Setting.IGNOREIFSTATE,
                    Setting.NOMCAST, Setting.DEBUG)) {
                boolean on = flag(s, used);
                switch (s) {
                    case PREEMPT -> b.preempt(on);
                    case NEUTRAL -> b.neutral(on);
                    case SHUTDOWN -> b.shutdown(on);
                    case IGNOREIFSTATE -> b.ignoreifstate(on);
                    case NOMCAST -> b.nomcast(on);
                    default -> b.debug(on);
                }
            }
            b.mcastip(optional(Setting.MCASTIP, used).map(g -> address(Setting.MCASTIP, g))
                    .orElse(KarpConfig.DEFAULT_MCASTIP));
            origins.putIfAbsent(Setting.MCASTIP.longName(), Origin.defaulted(""));
            b.statusAddress(statusAddress(used));
            b.metricsAddress(metricsAddress(used));
            b.scriptTimeout(optional(Setting.SCRIPT_TIMEOUT, used).map(g -> duration(Setting.SCRIPT_TIMEOUT, g))
                    .orElse(KarpConfig.DEFAULT_SCRIPT_TIMEOUT));
            optional(Setting.PEER, used).ifPresent(g -> {
                for (String item : g.value().split(",", -1)) {
                    String text = item.trim();
                    InetAddress a = IpAddresses.isLiteral(text) ? IpAddresses.parse(text).orElse(null) : null;
                    if (a == null) {
                        throw ConfigException.value(Setting.PEER, text, "is not an IPv4 or IPv6 address (expected each"
                                + " node's own address, e.g. 10.200.0.11)").from(g.origin());
                    }
                    b.peer(a);
                }
            });
            b.auth(optional(Setting.AUTH, used).map(g -> AuthMode.parse(g.value()).orElseThrow(() ->
                    ConfigException.value(Setting.AUTH, g.value(), "is not an authentication mode (expected: "
                            + AuthMode.choices() + "; ucarp talks to UCarp, migrate moves a running group to strict"
                            + " without two masters, see docs/operations.md)").from(g.origin())))
                    .orElse(AuthMode.UCARP));
            origins.putIfAbsent(Setting.AUTH.longName(), Origin.defaulted("UCarp-compatible"));
            b.garpRefresh(optional(Setting.GARP_REFRESH, used).filter(g -> !g.value().equalsIgnoreCase("off"))
                    .map(g -> garpRefresh(g)).orElse(null));
            b.garpInterval(optional(Setting.GARP_INTERVAL, used).map(g -> garpInterval(g))
                    .orElse(KarpConfig.DEFAULT_GARP_INTERVAL));
            b.vipLifetime(optional(Setting.VIP_LIFETIME, used).filter(g -> !g.value().equalsIgnoreCase("auto"))
                    .map(g -> vipLifetime(g)).orElse(null));
            origins.putIfAbsent(Setting.SCRIPT_TIMEOUT.longName(), Origin.defaulted(""));
            b.healthCheck(healthCheck(used));
            b.rtPriority(rtPriority(used));
            optional(Setting.XPARAM, used).ifPresent(g -> b.xparam(g.value()));
            b.upscript(optional(Setting.UPSCRIPT, used).map(g -> script(Setting.UPSCRIPT, g)).orElse(null));
            b.downscript(optional(Setting.DOWNSCRIPT, used).map(g -> script(Setting.DOWNSCRIPT, g)).orElse(null));
            optional(Setting.FACILITY, used).filter(g -> !g.value().equalsIgnoreCase("none")).ifPresent(g ->
                    warnings.add("--facility " + g.value() + g.origin().inMessage()
                            + " is ignored: karp logs to standard error, not to syslog"));

            // The VIP, then the host: the interface, this node's address and the VIP's prefix need both.
            HostInterface iface = hostInterface(used);
            b.interfaceName(iface.name());
            if (groups.isEmpty()) {
                List<Cidr> vips = vips(vip(used), iface, used.get(Setting.VIP), "");
                vips.forEach(v -> b.vip(v.address(), v.prefix()));
                if (vips.stream().anyMatch(Cidr::isIpv4)) {
                    b.srcip(srcip(iface, vips, used));
                }
            } else {
                Optional<Given> topSrcip = optional(Setting.SRCIP, used);
                List<KarpConfig.Group> resolved = new ArrayList<>();
                for (int i = 0; i < groups.size(); i++) {
                    resolved.add(group(i + 1, groups.get(i), iface, topSrcip));
                }
                resolved.forEach(b::group);
            }

            KarpConfig config;
            try {
                config = b.build();
            } catch (ConfigException e) {
                Origin origin = e.setting().map(used::get).orElse(Origin.COMMAND_LINE);
                throw e.from(origin);
            }
            return new LoadedConfig(config, warnings, origins);
        }

        private Optional<Given> optional(Setting s, Map<Setting, Origin> used) {
            Optional<Given> g = first(layers, s);
            g.ifPresent(v -> {
                used.put(s, v.origin());
                origins.put(s.longName(), v.origin());
            });
            return g;
        }

        private int number(Setting s, int fallback, int min, int max, String defaultWhy, Map<Setting, Origin> used) {
            Optional<Given> g = optional(s, used);
            if (g.isEmpty()) {
                origins.put(s.longName(), Origin.defaulted(defaultWhy));
                return fallback;
            }
            return Numbers.parse(s, g.get().value(), min, max, g.get().origin());
        }

        private boolean flag(Setting s, Map<Setting, Origin> used) {
            Optional<Given> g = optional(s, used);
            if (g.isEmpty()) {
                origins.put(s.longName(), Origin.defaulted(""));
                return false;
            }
            String v = g.get().value();
            if (!v.equals("true") && !v.equals("false")) {
                throw ConfigException.value(s, v, "is not a switch value (expected: true or false)").from(g.get().origin());
            }
            return v.equals("true");
        }

        private Inet4Address address(Setting s, Given g) {
            try {
                return IpAddresses.parseIpv4(g.value());
            } catch (IllegalArgumentException e) {
                throw ConfigException.value(s, g.value(), e.getMessage()).from(g.origin());
            }
        }

        private Duration duration(Setting s, Given g) {
            try {
                return Durations.parse(g.value());
            } catch (IllegalArgumentException e) {
                throw ConfigException.value(s, g.value(), e.getMessage()).from(g.origin());
            }
        }

        /**
         * The health check, or null. {@code --health-url off} means none, so a flag can turn off a URL that a
         * file or KARP_EXTRA_FLAGS set. The tuning options without a check are ignored with a warning.
         */
        private HealthCheck healthCheck(Map<Setting, Origin> used) {
            Optional<Given> url = optional(Setting.HEALTH_URL, used).filter(g -> !g.value().equalsIgnoreCase("off"));
            Optional<Given> exec = optional(Setting.HEALTH_EXEC, used);
            List<Setting> tuning = List.of(Setting.HEALTH_INTERVAL, Setting.HEALTH_TIMEOUT, Setting.HEALTH_FAILS,
                    Setting.HEALTH_RISES, Setting.HEALTH_EXPECT_STATUS, Setting.HEALTH_CA);
            if (url.isPresent() && exec.isPresent()) {
                throw new ConfigException("--health-url" + url.get().origin().inMessage() + " and --health-exec"
                        + exec.get().origin().inMessage() + " are both given; use one (a --health-exec command can"
                        + " run several checks)");
            }
            if (url.isEmpty() && exec.isEmpty()) {
                for (Setting s : tuning) {
                    optional(s, used).ifPresent(g -> warnings.add(s.flag() + " " + g.value() + g.origin().inMessage()
                            + " is ignored: there is no --health-url or --health-exec"));
                }
                return null;
            }
            HealthCheck.Target target;
            if (url.isPresent()) {
                Given g = url.get();
                URI uri;
                try {
                    uri = new URI(g.value().trim());
                } catch (URISyntaxException e) {
                    // Without a scheme the parser's reason ("illegal character in scheme name") would mislead.
                    String why = g.value().contains("://") ? "is not a URL: " + e.getReason() + " (expected e.g. "
                            : "is not an http:// or https:// URL with a host (expected e.g. ";
                    throw ConfigException.value(Setting.HEALTH_URL, g.value(), why + "https://127.0.0.1:6443/readyz)")
                            .from(g.origin());
                }
                OptionalInt expect = optional(Setting.HEALTH_EXPECT_STATUS, used)
                        .map(s -> OptionalInt.of(Numbers.parse(Setting.HEALTH_EXPECT_STATUS, s.value(), 100, 599,
                                s.origin())))
                        .orElse(OptionalInt.empty());
                Optional<Path> ca = optional(Setting.HEALTH_CA, used).map(this::caFile);
                target = withOrigin(() -> new HealthCheck.Http(uri, expect, ca), used);
            } else {
                for (Setting s : List.of(Setting.HEALTH_EXPECT_STATUS, Setting.HEALTH_CA)) {
                    Optional<Given> g = optional(s, used);
                    if (g.isPresent()) {
                        throw ConfigException.value(s, g.get().value(), "applies to --health-url only; a"
                                + " --health-exec command checks what it likes").from(g.get().origin());
                    }
                }
                target = withOrigin(() -> new HealthCheck.Exec(exec.get().value()), used);
            }
            Duration interval = optional(Setting.HEALTH_INTERVAL, used).map(g -> duration(Setting.HEALTH_INTERVAL, g))
                    .orElse(HealthCheck.DEFAULT_INTERVAL);
            Duration timeout = optional(Setting.HEALTH_TIMEOUT, used).map(g -> duration(Setting.HEALTH_TIMEOUT, g))
                    .orElse(HealthCheck.DEFAULT_TIMEOUT);
            int fails = number(Setting.HEALTH_FAILS, HealthCheck.DEFAULT_FAILS, 1, HealthCheck.MAX_COUNT, "", used);
            int rises = number(Setting.HEALTH_RISES, HealthCheck.DEFAULT_RISES, 1, HealthCheck.MAX_COUNT, "", used);
            return withOrigin(() -> new HealthCheck(target, interval, timeout, fails, rises), used);
        }

        /** {@code off} is 0; not given is null, for KarpConfig's default (on at advbase 0). */
        private Integer rtPriority(Map<Setting, Origin> used) {
            Optional<Given> g = optional(Setting.RT_PRIORITY, used);
            if (g.isEmpty()) {
                origins.put(Setting.RT_PRIORITY.longName(), Origin.defaulted("real-time at --advbase 0 only"));
                return null;
            }
            if (g.get().value().equalsIgnoreCase("off")) {
                return 0;
            }
            return Numbers.parse(Setting.RT_PRIORITY, g.get().value(), 1, 99, g.get().origin());
        }

        /** Runs a record constructor, adding to its error where the value came from. */
        private <T> T withOrigin(Supplier<T> build, Map<Setting, Origin> used) {
            try {
                return build.get();
            } catch (ConfigException e) {
                throw e.from(e.setting().map(used::get).orElse(Origin.COMMAND_LINE));
            }
        }

        /** The CA file must hold PEM certificates now: finding out at the first probe would be too late. */
        private Path caFile(Given g) {
            Path p = Path.of(g.value());
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw ConfigException.value(Setting.HEALTH_CA, g.value(), Files.exists(p)
                        ? "is not a readable file" : "does not exist").from(g.origin());
            }
            int count;
            try (InputStream in = new ByteArrayInputStream(RegularFiles.read(p, MAX_CA_FILE_BYTES))) {
                count = CertificateFactory.getInstance("X.509").generateCertificates(in).size();
            } catch (RegularFiles.RefusedException e) {
                throw ConfigException.value(Setting.HEALTH_CA, g.value(), e.getMessage()).from(g.origin());
            } catch (IOException | CertificateException e) {
                throw ConfigException.value(Setting.HEALTH_CA, g.value(), "cannot be read as PEM certificates: "
                        + e.getMessage()).from(g.origin());
            }
            if (count == 0) {
                throw ConfigException.value(Setting.HEALTH_CA, g.value(), "holds no certificate (expected PEM, e.g."
                        + " /etc/kubernetes/pki/ca.crt)").from(g.origin());
            }
            return p.toAbsolutePath();
        }

        private InetSocketAddress statusAddress(Map<Setting, Origin> used) {
            Optional<Given> g = optional(Setting.STATUS_ADDR, used);
            if (g.isEmpty()) {
                origins.put(Setting.STATUS_ADDR.longName(), Origin.defaulted(""));
                return KarpConfig.DEFAULT_STATUS_ADDRESS;
            }
            String text = g.get().value();
            if (text.equalsIgnoreCase("off")) {
                return null;
            }
            InetSocketAddress address = StatusAddresses.parse(text).orElseThrow(() -> ConfigException.value(
                    Setting.STATUS_ADDR, text, "is not ADDRESS:PORT (expected e.g. 127.0.0.1:9241, or off)")
                    .from(g.get().origin()));
            if (!address.getAddress().isLoopbackAddress()) {
                warnings.add("--status-addr " + text + g.get().origin().inMessage() + " is not a loopback address: "
                        + "anyone who can reach it can read this node's status (it has no authentication)");
            }
            return address;
        }

        /** Opt-in: off unless given; {@code off} is accepted so a file can say so explicitly. */
        private InetSocketAddress metricsAddress(Map<Setting, Origin> used) {
            Optional<Given> g = optional(Setting.METRICS_ADDR, used);
            if (g.isEmpty()) {
                origins.put(Setting.METRICS_ADDR.longName(), Origin.defaulted(""));
                return null;
            }
            String text = g.get().value();
            if (text.equalsIgnoreCase("off")) {
                return null;
            }
            return StatusAddresses.parse(text).orElseThrow(() -> ConfigException.value(
                    Setting.METRICS_ADDR, text, "is not ADDRESS:PORT (expected e.g. 127.0.0.1:9242 or 0.0.0.0:9242, or off)")
                    .from(g.get().origin()));
        }

        private Path script(Setting s, Given g) {
            // UCarp execl()s the path as given, without a PATH search; an absolute path keeps that meaning.
            Path p = Path.of(g.value()).toAbsolutePath();
            if (!Files.exists(p)) {
                throw ConfigException.value(s, g.value(), "does not exist").from(g.origin());
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw ConfigException.value(s, g.value(), "is not an executable file; karp runs it directly "
                        + "(not through a shell), so it needs 'chmod +x'").from(g.origin());
            }
            return p;
        }

        private CarpPassword password(Map<Setting, Origin> used) {
            for (Layer layer : layers) {
                Optional<Given> pass = layer.get(Setting.PASS);
                if (pass.isPresent()) {
                    used.put(Setting.PASS, pass.get().origin());
                    origins.put("pass", pass.get().origin());
                    if (pass.get().origin().source() == Origin.Source.COMMAND_LINE) {
                        warnings.add("--pass puts the password in the process list (ps, /proc/PID/cmdline) "
                                + "for every local user to read; prefer --password-file FILE");
                    }
                    return checkedPassword(pass.get().value().getBytes(StandardCharsets.UTF_8), "--pass",
                            pass.get().origin(), Setting.PASS);
                }
                Optional<Given> file = layer.get(Setting.PASSFILE);
                if (file.isPresent()) {
                    used.put(Setting.PASS, file.get().origin());
                    origins.put("pass", file.get().origin());
                    return passwordFromFile(file.get());
                }
            }
            throw new ConfigException("no password given; use --password-file FILE "
                    + "(or --pass, KARP_PASSWORD, or 'password-file' in --config)");
        }

        private CarpPassword passwordFromFile(Given g) {
            String head = "--passfile " + g.value();
            Path path = Path.of(g.value());
            byte[] line;
            try {
                // A FIFO would block and a device never end: only a small regular file is read.
                line = CarpPassword.passfileLine(RegularFiles.read(path, CarpPassword.MAX_PASSFILE_BYTES));
            } catch (RegularFiles.RefusedException e) {
                throw ConfigException.of(Setting.PASSFILE, head, e.getMessage()).from(g.origin());
            } catch (IOException e) {
                throw ConfigException.of(Setting.PASSFILE, head, "cannot be read: " + IoReasons.of(e)).from(g.origin());
            }
            readableByOthers(path).ifPresent(mode -> warnings.add(head + g.origin().inMessage()
                    + " is readable by other users (mode " + mode + "), who can then join or take over the"
                    + " group; chmod 600 " + g.value()));
            if (line.length == 0) {
                throw ConfigException.of(Setting.PASSFILE, head,
                        "has an empty first line; the password is the file's first line").from(g.origin());
            }
            if (line[line.length - 1] == '\r') {
                warnings.add(head + g.origin().inMessage() + ": the password ends with a carriage return (\\r), "
                        + "which stays part of it as in UCarp; remove it if the file has Windows line endings");
            }
            if (line.length > Carp.MAX_PASSWORD_BYTES) {
                throw ConfigException.of(Setting.PASSFILE, head, "holds a password of " + line.length
                        + " bytes; UCarp's limit is " + Carp.MAX_PASSWORD_BYTES + " bytes").from(g.origin());
            }
            return CarpPassword.ofBytes(line);
        }

        /** The file's mode in octal if group or others may read it; empty if not, or if it has no POSIX mode. */
        private static Optional<String> readableByOthers(Path file) {
            Set<PosixFilePermission> perms;
            try {
                perms = Files.getPosixFilePermissions(file);
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty();
            }
            if (!perms.contains(PosixFilePermission.GROUP_READ) && !perms.contains(PosixFilePermission.OTHERS_READ)) {
                return Optional.empty();
            }
            int mode = 0;
            for (PosixFilePermission p : perms) {
                mode |= 1 << (8 - p.ordinal());
            }
            return Optional.of(String.format("%04o", mode));
        }

        private CarpPassword checkedPassword(byte[] p, String head, Origin origin, Setting s) {
            if (p.length == 0) {
                throw ConfigException.of(s, head, "is empty; give a password of 1 to 19 bytes").from(origin);
            }
            if (p.length > Carp.MAX_PASSWORD_BYTES) {
                throw ConfigException.of(s, head, "is " + p.length + " bytes long; UCarp's limit is "
                        + Carp.MAX_PASSWORD_BYTES + " bytes").from(origin);
            }
            return CarpPassword.ofBytes(p);
        }

        /** The VIP address and, if its source gave one, its prefix. */
        private record VipChoice(InetAddress address, Optional<Integer> prefix) {
        }

        /** The VIPs with their prefixes, checked against the host; {@code where} prefixes messages. */
        private List<Cidr> vips(List<VipChoice> choices, HostInterface iface, Origin origin, String where) {
            List<Cidr> out = new ArrayList<>();
            for (VipChoice vip : choices) {
                int prefix = vip.prefix().orElseGet(() -> derivedPrefix(iface, vip.address()));
                String vipHead = where + Setting.VIP.flag() + " " + IpAddresses.format(vip.address()) + "/" + prefix;
                if (out.stream().anyMatch(c -> c.address().equals(vip.address()))) {
                    throw ConfigException.of(Setting.VIP, vipHead, "is given twice; give each VIP once").from(origin);
                }
                if (vip.address() instanceof Inet4Address v4) {
                    Optional<String> unusable = VipChecks.problem(v4, prefix, iface, host.list());
                    if (unusable.isPresent()) {
                        throw ConfigException.of(Setting.VIP, vipHead, unusable.get()).from(origin);
                    }
                    VipChecks.warning(v4, prefix, iface).ifPresent(w -> warnings.add(vipHead + origin.inMessage() + " " + w));
                } else {
                    if (vip.address().isLinkLocalAddress() || vip.address().isMulticastAddress()
                            || vip.address().isLoopbackAddress() || vip.address().isAnyLocalAddress()) {
                        throw ConfigException.of(Setting.VIP, vipHead, "is a link-local, multicast, loopback or"
                                + " unspecified address; use a unicast address of the interface's subnet").from(origin);
                    }
                    if (iface.linkLocal().isEmpty()) {
                        throw ConfigException.of(Setting.VIP, vipHead, "needs an IPv6 link-local address on "
                                + iface.name() + " (the source of IPv6 adverts), and it has none; enable IPv6 there"
                                + " (sysctl net.ipv6.conf." + iface.name() + ".disable_ipv6=0)").from(origin);
                    }
                }
                out.add(Cidr.of(vip.address(), prefix));
            }
            return out;
        }

        /** One item of the file's groups: list. */
        private KarpConfig.Group group(int n, Map<String, String> g, HostInterface topIface, Optional<Given> topSrcip) {
            String where = "group " + n + ": ";
            java.util.function.Function<String, Optional<Given>> get = key ->
                    Optional.ofNullable(g.get(key)).map(v -> new Given(v, groupsOrigin));
            Given vhidText = get.apply("vhid").orElseThrow(() -> new ConfigException(where + "vhid is missing in the"
                    + " groups: list" + groupsOrigin.inMessage() + "; give each group 'vhid: N' (1..255)"));
            int vhid = Numbers.parse(Setting.VHID, vhidText.value(), 1, 255, groupsOrigin);
            String w = "vhid " + vhid + ": ";
            Given vipText = get.apply("vip").orElseThrow(() -> new ConfigException(w + "vip is missing in the groups:"
                    + " list" + groupsOrigin.inMessage() + "; give each group 'vip: ADDRESS/PREFIX' (or a list)"));
            HostInterface iface = topIface;
            Optional<Given> ifName = get.apply("interface");
            if (ifName.isPresent()) {
                iface = host.find(ifName.get().value()).orElseThrow(() -> new ConfigException(w + "interface "
                        + ifName.get().value() + groupsOrigin.inMessage() + " not found; check the group's interface"));
            }
            List<Cidr> vips = vips(parseVips(Setting.VIP, vipText, Optional.empty()), iface, groupsOrigin, w);
            Optional<Inet4Address> src = Optional.empty();
            if (vips.stream().anyMatch(Cidr::isIpv4)) {
                HostInterface i = iface;
                src = Optional.of(topSrcip.filter(s -> i == topIface).map(s -> givenSrcip(i, s))
                        .orElseGet(() -> defaultSrcip(i, vips)));
            }
            java.util.function.BiFunction<String, Setting, OptionalInt> num = (key, s) -> get.apply(key)
                    .map(v -> OptionalInt.of(Numbers.parse(s, v.value(), 0, 255, groupsOrigin))).orElse(OptionalInt.empty());
            Optional<Boolean> preempt = get.apply("preempt").map(v -> v.value().equals("true"));
            Optional<CarpPassword> pw = get.apply("password-file").map(v -> passwordFromFile(v));
            return new KarpConfig.Group(vhid, vips, ifName.map(Given::value), src, num.apply("advbase", Setting.ADVBASE),
                    num.apply("advskew", Setting.ADVSKEW), preempt, pw,
                    get.apply("upscript").map(v -> script(Setting.UPSCRIPT, v)),
                    get.apply("downscript").map(v -> script(Setting.DOWNSCRIPT, v)));
        }

        private Duration garpInterval(Given g) {
            Duration d = duration(Setting.GARP_INTERVAL, g);
            if (d.compareTo(KarpConfig.MAX_GARP_INTERVAL) > 0) {
                throw ConfigException.value(Setting.GARP_INTERVAL, g.value(), "is out of range (expected: 0s..1m; 0s"
                        + " sends the --garp-count announcements at once)").from(g.origin());
            }
            return d;
        }

        /** {@code off} (forever, as UCarp) is {@link Duration#ZERO}. */
        private Duration vipLifetime(Given g) {
            if (g.value().equalsIgnoreCase("off")) {
                return Duration.ZERO;
            }
            Duration d = duration(Setting.VIP_LIFETIME, g);
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw ConfigException.value(Setting.VIP_LIFETIME, g.value(), "is out of range (expected: 1s..1h, auto"
                        + " or off)").from(g.origin());
            }
            return d;
        }

        private Duration garpRefresh(Given g) {
            Duration d = duration(Setting.GARP_REFRESH, g);
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw ConfigException.value(Setting.GARP_REFRESH, g.value(), "is out of range (expected: 1s..1h, or"
                        + " off)").from(g.origin());
            }
            return d;
        }

        private List<VipChoice> vip(Map<Setting, Origin> used) {
            for (Layer layer : layers) {
                Optional<Given> addr = layer.get(Setting.ADDR);
                Optional<Given> cidr = layer.get(Setting.VIP);
                if (addr.isEmpty() && cidr.isEmpty()) {
                    continue;
                }
                Setting s = addr.isPresent() ? Setting.ADDR : Setting.VIP;
                Given g = addr.orElseGet(cidr::get);
                used.put(Setting.VIP, g.origin());
                used.put(Setting.ADDR, g.origin());
                origins.put("vip", g.origin());
                String text = g.value();
                int slash = text.indexOf('/');
                if (s == Setting.ADDR && slash >= 0) {
                    throw ConfigException.value(s, text, "takes an address without prefix; use --vip "
                            + text + " for an address with prefix").from(g.origin());
                }
                if (s == Setting.ADDR) {
                    Inet4Address address = address(s, g);
                    if (layer.subnet().isPresent()) {
                        Given subnet = layer.subnet().get();
                        int prefix = prefixLength(subnet.value(), 32).orElseThrow(() -> new ConfigException(KARP_SUBNET
                                + "=" + subnet.value() + " is not a prefix length (expected: 1..32, e.g. 24)"));
                        origins.put("vip-prefix", subnet.origin());
                        return List.of(new VipChoice(address, Optional.of(prefix)));
                    }
                    return List.of(new VipChoice(address, Optional.empty()));
                }
                return parseVips(s, g, layer.subnet());
            }
            throw new ConfigException("no VIP given; use --vip ADDRESS/PREFIX (or --addr, KARP_VIRTUAL_IP, "
                    + "or 'vip' in --config)");
        }

        /**
         * {@code --vip} values: one or more addresses (IPv4 or IPv6), comma-separated, each with an optional prefix;
         * KARP_SUBNET gives the prefix of IPv4 ones without.
         */
        private List<VipChoice> parseVips(Setting s, Given g, Optional<Given> subnet) {
            List<VipChoice> out = new ArrayList<>();
            for (String item : g.value().split(",", -1)) {
                String text = item.trim();
                if (text.isEmpty()) {
                    throw ConfigException.value(s, g.value(), "has an empty item; separate VIPs with single commas")
                            .from(g.origin());
                }
                int slash = text.indexOf('/');
                String head = slash < 0 ? text : text.substring(0, slash);
                InetAddress address = IpAddresses.isLiteral(head) ? IpAddresses.parse(head).orElse(null) : null;
                if (address == null) {
                    throw ConfigException.value(s, text, "is not an IPv4 or IPv6 address (expected e.g. 10.200.0.100/24"
                            + " or fd00:200::100/64)").from(g.origin());
                }
                int max = address instanceof Inet4Address ? 32 : 128;
                if (slash >= 0) {
                    int prefix = prefixLength(text.substring(slash + 1), max).orElseThrow(() -> ConfigException.value(s,
                            text, "has an invalid prefix (expected: /1 to /" + max + ")").from(g.origin()));
                    origins.put("vip-prefix", g.origin());
                    out.add(new VipChoice(address, Optional.of(prefix)));
                } else if (subnet.isPresent() && address instanceof Inet4Address) {
                    Given sn = subnet.get();
                    int prefix = prefixLength(sn.value(), 32).orElseThrow(() -> new ConfigException(KARP_SUBNET + "="
                            + sn.value() + " is not a prefix length (expected: 1..32, e.g. 24)"));
                    origins.put("vip-prefix", sn.origin());
                    out.add(new VipChoice(address, Optional.of(prefix)));
                } else {
                    out.add(new VipChoice(address, Optional.empty()));
                }
            }
            return out;
        }

        private static Optional<Integer> prefixLength(String text, int max) {
            String t = text.startsWith("/") ? text.substring(1) : text;
            boolean digits = !t.isEmpty() && t.length() <= 3 && t.chars().allMatch(c -> c >= '0' && c <= '9')
                    && !(t.length() > 1 && t.charAt(0) == '0');
            return digits && Integer.parseInt(t) >= 1 && Integer.parseInt(t) <= max
                    ? Optional.of(Integer.parseInt(t)) : Optional.empty();
        }

        private HostInterface hostInterface(Map<Setting, Origin> used) {
            List<HostInterface> all = host.list();
            String available = all.isEmpty() ? "none" : all.stream().map(HostInterface::name).collect(Collectors.joining(", "));
            Optional<Given> g = optional(Setting.INTERFACE, used);
            if (g.isPresent()) {
                return host.find(g.get().value()).orElseThrow(() -> new ConfigException("interface " + g.get().value()
                        + g.get().origin().inMessage() + " not found (available: " + available + "); check --interface"));
            }
            String name = host.defaultRouteInterface().orElseThrow(() -> new ConfigException(
                    "no interface holds the default route, so --interface must be given (available: " + available + ")"));
            origins.put(Setting.INTERFACE.longName(), Origin.defaulted("holds the default route"));
            return host.find(name).orElseThrow(() -> new ConfigException("the default route's interface " + name
                    + " has no address karp can see (available: " + available + "); give --interface"));
        }

        private Inet4Address srcip(HostInterface iface, List<Cidr> vips, Map<Setting, Origin> used) {
            Optional<Given> g = optional(Setting.SRCIP, used);
            if (g.isPresent()) {
                return givenSrcip(iface, g.get());
            }
            origins.put(Setting.SRCIP.longName(), Origin.defaulted("first address of " + iface.name()));
            return defaultSrcip(iface, vips);
        }

        /** A given --srcip, which must be an address of {@code iface}. */
        private Inet4Address givenSrcip(HostInterface iface, Given g) {
            String has = iface.addresses().isEmpty() ? "has no IPv4 address"
                    : "has: " + iface.addresses().stream().map(Cidr::toString).collect(Collectors.joining(", "));
            Inet4Address srcip = address(Setting.SRCIP, g);
            boolean local = iface.addresses().stream().anyMatch(a -> a.address().equals(srcip));
            if (!local) {
                throw ConfigException.value(Setting.SRCIP, g.value(), "is not an address of " + iface.name()
                        + " (" + iface.name() + " " + has + "); check --srcip and --interface").from(g.origin());
            }
            return srcip;
        }

        private static Inet4Address defaultSrcip(HostInterface iface, List<Cidr> vips) {
            // The VIP may still be on the interface after a crash (ucarp-spec §7 item 10); it is never our own address.
            Optional<Inet4Address> primary = iface.addresses().stream().filter(Cidr::isIpv4).map(Cidr::ipv4)
                    .filter(a -> vips.stream().noneMatch(v -> v.address().equals(a))).findFirst();
            return primary.orElseThrow(() -> new ConfigException(iface.name() + " has no IPv4 address other than the VIP, "
                    + "so adverts would have no source address; add one or choose another --interface"));
        }

        /** The prefix of the interface subnet that holds the VIP, else 32 (a lone host address). */
        private int derivedPrefix(HostInterface iface, InetAddress vip) {
            Optional<Cidr> subnet = java.util.stream.Stream.concat(iface.addresses().stream(), iface.ipv6Addresses().stream())
                    .filter(a -> !a.address().equals(vip) && a.contains(vip)).findFirst();
            origins.put("vip-prefix", Origin.defaulted(subnet.map(n -> "subnet " + n + " of " + iface.name())
                    .orElse("no subnet of " + iface.name() + " holds the VIP")));
            return subnet.map(Cidr::prefix).orElse(vip instanceof Inet4Address ? 32 : 128);
        }
    }

    /**
     * Parses {@code ADDRESS:PORT} (IPv4 or a bracketed IPv6 literal, never a host name), as {@code --status-addr}
     * and {@code --metrics-addr} take it; also for {@code karp status} and {@code karp healthcheck}.
     */
    public static final class StatusAddresses {
        private StatusAddresses() {
        }

        /** The address, or empty when {@code text} is not {@code ADDRESS:PORT}. */
        public static Optional<InetSocketAddress> parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String hostPart = text.substring(0, colon);
            String portPart = text.substring(colon + 1);
            if (portPart.isEmpty() || portPart.length() > 5 || !portPart.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(portPart) > 65535) {
                return Optional.empty();
            }
            int port = Integer.parseInt(portPart);
            if (hostPart.startsWith("[") && hostPart.endsWith("]") && hostPart.contains(":")) {
                return IpAddresses.parse(hostPart).map(a -> new InetSocketAddress(a, port));
            }
            try {
                return Optional.of(new InetSocketAddress(IpAddresses.parseIpv4(hostPart), port));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
