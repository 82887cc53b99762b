package dev.karp.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every option of {@code karp run}: its long name (also its key in the {@code --config} YAML file),
 * its UCarp short letter, its other long names and whether it takes a value. This table is the one
 * declaration of the options' names: karp-cli's picocli options ({@code RunOptions}), which parse the
 * command line and {@code KARP_EXTRA_FLAGS}, are built from it and add only their help text.
 *
 * <p>ucarp-spec §5 lists UCarp's options; karp adds {@code --vip}, {@code --password-file},
 * {@code --config}, {@code --status-addr}, {@code --garp-count}, {@code --garp-interval}, {@code --garp-refresh},
 * {@code --vip-lifetime}, {@code --peer},
 * {@code --script-timeout}, {@code --metrics-addr}, the {@code --health-*} options and {@code --rt-priority}.
 */
public enum Setting {
    // '\0' marks an option without a short letter.
    INTERFACE("interface", 'i', true),
    SRCIP("srcip", 's', true),
    VHID("vhid", 'v', true),
    PASS("pass", 'p', true),
    /** UCarp's {@code --passfile}; {@code --password-file} is karp's clearer spelling of the same option. */
    PASSFILE("passfile", 'o', true, "password-file"),
    ADDR("addr", 'a', true),
    VIP("vip", '\0', true),
    ADVBASE("advbase", 'b', true),
    ADVSKEW("advskew", 'k', true),
    DEADRATIO("deadratio", 'r', true),
    PREEMPT("preempt", 'P', false),
    NEUTRAL("neutral", 'n', false),
    UPSCRIPT("upscript", 'u', true),
    DOWNSCRIPT("downscript", 'd', true),
    XPARAM("xparam", 'x', true),
    SHUTDOWN("shutdown", 'z', false),
    IGNOREIFSTATE("ignoreifstate", 'S', false),
    NOMCAST("nomcast", 'M', false),
    /** ucarp-spec §5: UCarp's help text calls it {@code --mcast}, so that spelling is accepted too. */
    MCASTIP("mcastip", '\0', true, "mcast"),
    DEBUG("debug", 'D', false),
    /** Accepted so UCarp command lines (which often say {@code -f none}) parse; karp never uses syslog. */
    FACILITY("facility", 'f', true),
    /** Recognised only to refuse it with a clear message: karp stays in the foreground. */
    DAEMONIZE("daemonize", 'B', false),
    STATUS_ADDR("status-addr", '\0', true),
    GARP_COUNT("garp-count", '\0', true),
    /** Gratuitous ARP / neighbour advertisements repeated while MASTER, for switches that forget MACs early. */
    GARP_REFRESH("garp-refresh", '\0', true),
    /** The spacing of a takeover's {@code --garp-count} announcements. */
    GARP_INTERVAL("garp-interval", '\0', true),
    /** The VIPs' finite lifetime while MASTER, so a killed or frozen master's VIP expires (docs/protocol.md). */
    VIP_LIFETIME("vip-lifetime", '\0', true),
    /** Unicast mode: every node of the group, this one included (docs/configuration.md, "Unicast peers"). */
    PEER("peer", '\0', true, "peers"),
    SCRIPT_TIMEOUT("script-timeout", '\0', true),
    /** Opt-in Prometheus endpoint; off unless given. */
    METRICS_ADDR("metrics-addr", '\0', true),
    /** The health check that demotes this node while it fails (docs/configuration.md, "Health checks"). */
    HEALTH_URL("health-url", '\0', true),
    HEALTH_EXEC("health-exec", '\0', true),
    HEALTH_INTERVAL("health-interval", '\0', true),
    HEALTH_TIMEOUT("health-timeout", '\0', true),
    HEALTH_FAILS("health-fails", '\0', true),
    HEALTH_RISES("health-rises", '\0', true),
    HEALTH_EXPECT_STATUS("health-expect-status", '\0', true),
    HEALTH_CA("health-ca", '\0', true),
    /** Real-time priority of the protocol loop thread (docs/configuration.md). */
    RT_PRIORITY("rt-priority", '\0', true),
    /**
     * How adverts are authenticated: {@code ucarp} (default, byte-compatible), {@code migrate}, {@code strict}
     * (docs/protocol.md, "Strict authentication"; docs/operations.md for the migration).
     */
    AUTH("auth", '\0', true),
    /** The YAML file itself; it cannot name another file, so it is not a key inside it. */
    CONFIG("config", '\0', true);

    private final String longName;
    private final char shortName;
    private final boolean takesValue;
    private final List<String> aliases;

    Setting(String longName, char shortName, boolean takesValue, String... aliases) {
        this.longName = longName;
        this.shortName = shortName;
        this.takesValue = takesValue;
        this.aliases = List.of(aliases);
    }

    /** The long name without dashes, e.g. {@code advskew}; also the YAML key. */
    public String longName() {
        return longName;
    }

    /** The option as a user writes it, e.g. {@code --advskew}. */
    public String flag() {
        return "--" + longName;
    }

    /** UCarp's one-letter option, if it has one. */
    public Optional<Character> shortName() {
        return shortName == 0 ? Optional.empty() : Optional.of(shortName);
    }

    /** Other long names accepted for this option, e.g. {@code password-file} for {@code passfile}. */
    public List<String> aliases() {
        return aliases;
    }

    /** Whether the option takes a value ({@code --vhid 7}) or is a switch ({@code --preempt}). */
    public boolean takesValue() {
        return takesValue;
    }

    /**
     * Whether the option may be given more than once ({@code --vip} for several addresses); its values are then
     * one text, joined with commas, as {@code KARP_VIRTUAL_IP} and a YAML list give them.
     */
    public boolean repeatable() {
        return this == VIP || this == PEER;
    }

    /** Whether the option may appear as a key in the {@code --config} YAML file. */
    public boolean allowedInFile() {
        return this != CONFIG;
    }

    /** The setting with this one-letter option ({@code -p}), if any. */
    public static Optional<Setting> byShortName(char c) {
        for (Setting s : values()) {
            if (s.shortName().isPresent() && s.shortName().get() == c) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The option with this long name or alias, without dashes. */
    public static Optional<Setting> byLongName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.longName.equals(name) || s.aliases.contains(name))
                .findFirst();
    }
}
