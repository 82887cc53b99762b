package dev.karp.carp;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How adverts are authenticated (docs/protocol.md, "Strict authentication"). One password serves all three.
 *
 * <ul>
 * <li>{@link #UCARP}: UCarp's HMAC, byte for byte; advbase, advskew and the source are not covered and counters
 *     are not checked, so one captured advert lets anyone forge a better master.</li>
 * <li>{@link #MIGRATE}: the way from {@code ucarp} to {@code strict} without two masters. Sends UCarp's advert
 *     with the strict digest appended after the CARP header, so UCarp nodes, migrating nodes and strict nodes all
 *     verify it; accepts UCarp adverts as well as strict ones. Only as safe as UCarp while it runs.</li>
 * <li>{@link #STRICT}: the strict digest in the CARP header's HMAC field, over advbase, advskew, the source and
 *     the counter, with replayed counters rejected; UCarp adverts are rejected as forged.</li>
 * </ul>
 */
public enum AuthMode {
    UCARP,
    MIGRATE,
    STRICT;

    /** The word of {@code --auth}: {@code ucarp}, {@code migrate} or {@code strict}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when strict-authenticated adverts are sent and checked for replays. */
    public boolean sendsStrict() {
        return this != UCARP;
    }

    /** The mode named by {@code word}, case-insensitive. */
    public static Optional<AuthMode> parse(String word) {
        return Arrays.stream(values()).filter(m -> m.word().equalsIgnoreCase(word.trim())).findFirst();
    }

    /** {@code ucarp, migrate or strict}, for messages. */
    public static String choices() {
        String all = Arrays.stream(values()).map(AuthMode::word).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    @Override
    public String toString() {
        return word();
    }
}
