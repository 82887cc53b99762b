package dev.karp.time;

import java.time.Duration;

/**
 * Durations as karp reads and prints them: the option form users write ({@code 30s}, {@code 500ms},
 * {@code 2m}), seconds to the millisecond for logs and captures ({@code 0.113}), and ages for status views
 * ({@code 4.2 s}, {@code 3m 05s}).
 *
 * <p>No String.format here: {@link #seconds(long)} runs on a backup's first takeover (the "master down"
 * line), and the first String.format in a JVM loads its locale machinery for about 10 ms. The class is
 * loaded at start-up anyway (every {@code RateLimitedLog} formats its interval with {@link #format}).
 */
public final class Durations {
    private Durations() {
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

    /** The option form, shortest and exact to the millisecond: {@code 30s}, {@code 1500ms}, {@code 2m}. */
    public static String format(Duration d) {
        if (d.toNanosPart() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        return s != 0 && s % 60 == 0 ? (s / 60) + "m" : s + "s";
    }

    /** Seconds to the millisecond (half up), without the unit: {@code 0.113}, {@code 3.000}, {@code -0.250}. */
    public static String seconds(long nanos) {
        boolean negative = nanos < 0;
        long millis = ((negative ? -nanos : nanos) + 500_000) / 1_000_000;
        long fraction = millis % 1000;
        return (negative && millis != 0 ? "-" : "") + millis / 1000 + "."
                + (fraction < 100 ? fraction < 10 ? "00" : "0" : "") + fraction;
    }

    /** {@link #seconds(long)} of a duration. */
    public static String seconds(Duration d) {
        return seconds(d.toNanos());
    }

    /** Seconds to the millisecond without trailing zeros: {@code 1}, {@code 0.5}, {@code 1.25}. */
    public static String shortSeconds(Duration d) {
        String s = seconds(d.toNanos());
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        return s.charAt(end - 1) == '.' ? s.substring(0, end - 1) : s.substring(0, end);
    }

    /** An age for a status view: {@code 850 ms}, {@code 4.2 s}, {@code 3m 05s}, {@code 2h 01m}, {@code 3d 04h}. */
    public static String age(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            long tenths = (ms + 50) / 100;
            return tenths / 10 + "." + tenths % 10 + " s";
        }
        long s = ms / 1000;
        if (s < 3600) {
            return s / 60 + "m " + twoDigits(s % 60) + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + twoDigits(s % 3600 / 60) + "m";
        }
        return s / 86400 + "d " + twoDigits(s % 86400 / 3600) + "h";
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }
}
