package dev.karp.config;

import java.time.Duration;

/** Durations as users write them in karp options: {@code 30s}, {@code 500ms}, {@code 2m}, or plain seconds. */
public final class DurationText {
    private DurationText() {
    }

    /**
     * Parses {@code <digits>[ms|s|m]}; no unit means seconds.
     *
     * @throws IllegalArgumentException with a reason to put after the text
     */
    public static Duration parse(String text) {
        String t = text.trim();
        String digits;
        String unit;
        if (t.endsWith("ms")) {
            digits = t.substring(0, t.length() - 2);
            unit = "ms";
        } else if (t.endsWith("s") || t.endsWith("m")) {
            digits = t.substring(0, t.length() - 1);
            unit = t.substring(t.length() - 1);
        } else {
            digits = t;
            unit = "s";
        }
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("is not a duration (expected e.g. 30s, 500ms or 2m)");
        }
        long n = Long.parseLong(digits);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The shortest exact form: {@code 30s}, {@code 1500ms}, {@code 2m}. */
    public static String format(Duration d) {
        if (d.toNanosPart() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        return s != 0 && s % 60 == 0 ? (s / 60) + "m" : s + "s";
    }
}
