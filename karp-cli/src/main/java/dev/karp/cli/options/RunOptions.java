package dev.karp.cli.options;

import dev.karp.config.ConfigException;
import dev.karp.config.ConfigLoader;
import dev.karp.config.Setting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Every option of {@code karp run} as picocli sees it: UCarp's long and short options (ucarp-spec §5) so a ucarp
 * command line works unchanged, plus karp's own. The names come from {@link Setting}, the one declaration of each
 * option; this class adds only the help text. The same options parse the command line (as {@code run}'s model
 * transformer) and {@code KARP_EXTRA_FLAGS} ({@link #extraFlags}).
 *
 * <p>Values are kept as typed; {@link ConfigLoader} parses and checks them together with the environment and the
 * {@code --config} file, so all sources share one set of rules and messages.
 */
public final class RunOptions implements IModelTransformer {
    /** picocli makes one per command model; it holds nothing. */
    public RunOptions() {
    }

    /** Adds the options of every {@link Setting} to {@code run}'s model. */
    @Override
    public CommandSpec transform(CommandSpec spec) {
        addOptions(spec);
        return spec;
    }

    private static void addOptions(CommandSpec spec) {
        for (Setting s : Setting.values()) {
            Help h = helpOf(s);
            OptionSpec.Builder b = OptionSpec.builder(names(s)).order(h.order()).hidden(h.hidden())
                    .description(h.description());
            if (s.repeatable()) {
                b.type(List.class).auxiliaryTypes(String.class).arity("1").paramLabel(h.label());
            } else if (s.takesValue()) {
                b.type(String.class).arity("1").paramLabel(h.label());
            } else {
                b.type(boolean.class).arity("0");
            }
            spec.addOption(b.build());
        }
    }

    /** Every spelling of the option, as picocli matches it: {@code -b}, {@code --advbase}, then the aliases. */
    public static String[] names(Setting s) {
        List<String> names = new ArrayList<>();
        s.shortName().ifPresent(c -> names.add("-" + c));
        names.add(s.flag());
        s.aliases().forEach(a -> names.add("--" + a));
        return names.toArray(String[]::new);
    }

    /**
     * The options given to a parsed model, as typed; {@code "true"} for a switch that was given.
     *
     * @param spec {@code run}'s model (or {@code KARP_EXTRA_FLAGS}'), after parsing
     */
    public static Map<Setting, String> given(CommandSpec spec) {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Object value = spec.findOption(s.flag()).getValue();
            if (value instanceof String text) {
                m.put(s, text);
            } else if (value instanceof List<?> list && !list.isEmpty()) {
                m.put(s, list.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(",")));
            } else if (Boolean.TRUE.equals(value)) {
                m.put(s, "true");
            }
        }
        return m;
    }

    /**
     * The options in {@code KARP_EXTRA_FLAGS}, split like a shell command line ({@link ShellWords}) and parsed by
     * the same options as the command line. Unlike the command line, a later occurrence replaces an earlier one,
     * as UCarp's getopt did when kube-karp's entrypoint appended the variable to its command line.
     *
     * @param environment the process environment; only {@code KARP_EXTRA_FLAGS} is read (unset or blank: none)
     * @throws ConfigException one line naming {@code KARP_EXTRA_FLAGS} and the problem
     */
    public static Map<Setting, String> extraFlags(Map<String, String> environment) {
        String text = environment.getOrDefault(ConfigLoader.KARP_EXTRA_FLAGS, "").trim();
        if (text.isEmpty()) {
            return Map.of();
        }
        try {
            return parseExtraFlags(ShellWords.split(text));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigLoader.KARP_EXTRA_FLAGS + " " + e.getMessage() + "; see 'karp run --help'");
        }
    }

    /**
     * Parses words that hold only options.
     *
     * @throws IllegalArgumentException naming the word that is wrong
     */
    static Map<Setting, String> parseExtraFlags(List<String> words) {
        CommandSpec spec = CommandSpec.create();
        addOptions(spec);
        CommandLine cl = new CommandLine(spec);
        cl.setOverwrittenOptionsAllowed(true);
        // A word such as @file is a value or an error here, never a file of more arguments.
        cl.setExpandAtFiles(false);
        try {
            cl.parseArgs(words.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new IllegalArgumentException(problem(e));
        }
        return given(spec);
    }

    /** picocli's complaint, in the words the other configuration messages use. */
    private static String problem(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (word.startsWith("-") && word.length() > 1 && !word.equals("--")) {
                int eq = word.indexOf('=');
                return "unknown option " + (word.startsWith("--") && eq > 0 ? word.substring(0, eq) : word);
            }
            return "unexpected argument '" + word + "' (only options are accepted)";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec arg = m.getMissing().get(0);
            if (arg instanceof OptionSpec o) {
                return o.longestName() + " needs a value";
            }
        }
        String message = e.getMessage().lines().findFirst().orElse("is not valid");
        return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    /** What {@code karp run --help} says about an option. */
    private record Help(int order, String label, boolean hidden, String description) {
    }

    private static Help help(int order, String label, String description) {
        return new Help(order, label, false, description);
    }

    private static Help hidden(int order, String label, String description) {
        return new Help(order, label, true, description);
    }

    /** The help text of each option; the switch has a case for every {@link Setting}, or it does not compile. */
    private static Help helpOf(Setting s) {
        return switch (s) {
            case INTERFACE -> help(1, "NAME",
                    "Interface to run on (default: the one holding the default route).");
            case SRCIP -> help(2, "ADDRESS",
                    "This node's address, the adverts' source (default: the interface's first IPv4 address).");
            case VHID -> help(3, "1..255",
                    "Virtual host id, the same on every node of the group (default: 10, as kube-karp).");
            case PASS -> help(4, "PASSWORD",
                    "Password, 1..19 bytes. Visible in ps: prefer --password-file.");
            case PASSFILE -> help(5, "FILE",
                    "Read the password from the file's first line (only the newline is removed, as in UCarp).");
            case VIP -> help(6, "ADDRESS[/PREFIX]",
                    "A virtual IP, IPv4 or IPv6; repeat it (or separate with commas) for several, which move together."
                    + " Without a prefix: the prefix of the interface subnet holding it, else /32 or /128.");
            case ADDR -> help(7, "ADDRESS",
                    "The virtual IP, UCarp's spelling (no prefix; derived as for --vip).");
            case ADVBASE -> help(8, "SECONDS",
                    "Advertisement interval base, 0..255 (default: 1).");
            case ADVSKEW -> help(9, "0..255",
                    "Advertisement skew: higher is less preferred (default: 0).");
            case DEADRATIO -> help(10, "1..255",
                    "Missed intervals before a backup takes over (default: 3).");
            case PREEMPT -> help(11, null,
                    "Take over from a less preferred master.");
            case NEUTRAL -> help(12, null,
                    "Do not run the downscript when starting as backup.");
            case UPSCRIPT -> help(13, "FILE",
                    "Run on becoming master, as: FILE INTERFACE VIP [XPARAM]. karp adds the VIP itself.");
            case DOWNSCRIPT -> help(14, "FILE",
                    "Run on becoming backup, as: FILE INTERFACE VIP [XPARAM]. karp removes the VIP itself.");
            case XPARAM -> help(15, "VALUE",
                    "Extra argument passed to the scripts as $3.");
            case SHUTDOWN -> help(16, null,
                    "Accepted for UCarp compatibility: karp always steps down and cleans up on SIGTERM/SIGINT.");
            case IGNOREIFSTATE -> help(17, null,
                    "Ignore the interface's carrier state.");
            case NOMCAST -> help(18, null,
                    "Send adverts to the Ethernet broadcast address and join no multicast group.");
            case MCASTIP -> help(19, "ADDRESS",
                    "Multicast group of the adverts (default: 224.0.0.18).");
            case DEBUG -> help(20, null,
                    "Log debug lines (every advert, timers).");
            case FACILITY -> help(21, "NAME",
                    "Accepted for UCarp compatibility and ignored: karp logs to standard error.");
            case DAEMONIZE -> hidden(22, null,
                    "Refused: karp stays in the foreground (run it from systemd or as a container).");
            case CONFIG -> help(23, "FILE",
                    "YAML file of options (keys: long option names); flags and environment override it.");
            case STATUS_ADDR -> help(24, "ADDRESS:PORT|off",
                    "Where the JSON status endpoint listens (default: 127.0.0.1:9241).");
            case GARP_COUNT -> help(25, "1..10",
                    "Announcements of the VIPs on taking over (gratuitous ARP, IPv6 neighbour advertisement), spaced"
                    + " by --garp-interval (default: 3; UCarp sends 1).");
            case GARP_INTERVAL -> help(25, "DURATION",
                    "Spacing of the --garp-count announcements, e.g. 1s; 0s sends them at once (default: 1s).");
            case VIP_LIFETIME -> help(25, "DURATION|auto|off",
                    "Lifetime of the VIPs while MASTER, renewed as it advertises, so that a killed or frozen master's"
                    + " VIP expires by itself (default: auto, about the master-down interval; off: forever, as UCarp).");
            case PEER -> help(6, "ADDRESS",
                    "Unicast mode, for networks that drop multicast: a node of the group (repeat it for each, this one"
                    + " included; every node gets the same list). Adverts go to the other peers; only theirs count.");
            case GARP_REFRESH -> help(25, "DURATION",
                    "Announce the VIPs again this often while MASTER, e.g. 30s, for switches that forget the VIP's"
                    + " port before hosts forget its MAC (default: off).");
            case SCRIPT_TIMEOUT -> help(26, "DURATION",
                    "Kill an up/down script after this long, e.g. 30s, 500ms, 2m (default: 30s).");
            case METRICS_ADDR -> help(36, "ADDRESS:PORT",
                    "Serve Prometheus metrics on http://ADDRESS:PORT/metrics (default: off).");
            case HEALTH_URL -> help(27, "URL|off",
                    "Probe this URL (GET); while it fails the node is demoted, e.g. https://127.0.0.1:6443/readyz"
                    + " for the local API server. Any HTTP answer counts as alive (see --health-expect-status).");
            case HEALTH_EXEC -> help(28, "COMMAND",
                    "Run this command with /bin/sh -c instead; exit status 0 is healthy.");
            case HEALTH_INTERVAL -> help(29, "DURATION",
                    "Start a probe this often (default: 1s; 100ms..10m).");
            case HEALTH_TIMEOUT -> help(30, "DURATION",
                    "A probe still running after this fails and is cut off (default: 1s; 10ms..10m).");
            case HEALTH_FAILS -> help(31, "1..100",
                    "Failed probes in a row that demote the node (default: 2).");
            case HEALTH_RISES -> help(32, "1..100",
                    "Good probes in a row that end the demotion (default: 2).");
            case HEALTH_EXPECT_STATUS -> help(33, "CODE",
                    "Only this HTTP status is healthy (default: any answer; a 401/403 still proves the server"
                    + " answers).");
            case HEALTH_CA -> help(34, "FILE",
                    "Verify the https server with these PEM certificates (default: a loopback URL is not"
                    + " verified, any other one with the system's trust store).");
            case RT_PRIORITY -> help(35, "1..99|off",
                    "Run the protocol loop with this real-time (SCHED_RR) priority, so a busy CPU cannot delay"
                    + " adverts; needs CAP_SYS_NICE, else nice -10 or nothing is tried (default: 10 with --advbase 0,"
                    + " else off).");
            case AUTH -> help(37, "ucarp|migrate|strict",
                    "Advert authentication: ucarp (default) is UCarp's HMAC, byte for byte; strict also covers advbase,"
                    + " advskew and the source and rejects replays; migrate moves a running group to strict by a"
                    + " rolling update without two masters (every node to migrate, then every node to strict).");
        };
    }
}
