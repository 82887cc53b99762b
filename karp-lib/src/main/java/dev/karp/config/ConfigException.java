package dev.karp.config;

import java.util.Optional;

/**
 * A configuration a user has to fix. The message is one line that names the option, what is wrong and,
 * where it helps, what to do: {@code --advskew 300 is out of range (expected: 0..255)}.
 *
 * <p>Problems with one option keep the option head ({@code --advskew 300}) apart from the problem
 * ({@code is out of range ...}), so the loader can insert where the value came from:
 * {@code --advskew 300 (from KARP_EXTRA_FLAGS) is out of range (expected: 0..255)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Setting setting;
    private final String head;
    private final String problem;

    /** A problem that is not about one option's value, e.g. no interface holds the default route. */
    public ConfigException(String message) {
        super(message);
        this.setting = null;
        this.head = null;
        this.problem = null;
    }

    private ConfigException(Setting setting, String head, String problem, String message) {
        super(message);
        this.setting = setting;
        this.head = head;
        this.problem = problem;
    }

    /**
     * A problem with one option's value.
     *
     * @param setting the option
     * @param head    how the option is shown, usually {@code --name value}; never the password itself
     * @param problem what is wrong, starting with a verb: {@code is out of range (expected: 1..255)}
     */
    public static ConfigException of(Setting setting, String head, String problem) {
        return new ConfigException(setting, head, problem, head + " " + problem);
    }

    /** {@code --name value problem}: the common case. */
    public static ConfigException value(Setting setting, Object value, String problem) {
        return of(setting, setting.flag() + " " + value, problem);
    }

    /** {@code --name value is out of range (expected: min..max)}. */
    public static ConfigException outOfRange(Setting setting, Object value, String expected) {
        return value(setting, value, "is out of range (expected: " + expected + ")");
    }

    /** The option this problem is about, if it is about one. */
    public Optional<Setting> setting() {
        return Optional.ofNullable(setting);
    }

    /** The same problem, saying where the value came from (nothing is added for the command line). */
    public ConfigException from(Origin origin) {
        if (head == null || origin.inMessage().isEmpty()) {
            return this;
        }
        return new ConfigException(setting, head + origin.inMessage(), problem, head + origin.inMessage() + " " + problem);
    }
}
