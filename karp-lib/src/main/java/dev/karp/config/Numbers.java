package dev.karp.config;

/**
 * Decimal option values. ucarp-spec §5 and §7 item 15: UCarp reads numbers as C literals ({@code strtoul}
 * base 0), so {@code 010} is 8 and {@code 0x07} is 7, then casts advbase and advskew to 8 bits, so 300 becomes
 * 44. karp reads decimal only and refuses the forms UCarp would read differently, saying what UCarp would
 * have made of them, so a copied command line never silently means something else.
 */
final class Numbers {
    private Numbers() {
    }

    /** @throws ConfigException naming the option, the value and its source */
    static int parse(Setting s, String text, int min, int max, Origin origin) {
        String expected = "(expected: " + min + ".." + max + ")";
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            String body = t.substring(2);
            String read = body.matches("[0-9a-fA-F]{1,7}") ? " (UCarp would read it as " + Long.parseLong(body, 16) + ")" : "";
            throw ConfigException.value(s, text, "is not a decimal number" + read + "; write it in decimal " + expected)
                    .from(origin);
        }
        boolean negative = t.startsWith("-") && t.length() > 1;
        String digits = negative ? t.substring(1) : t;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ConfigException.value(s, text, "is not a number " + expected).from(origin);
        }
        if (!negative && digits.length() > 1 && digits.charAt(0) == '0') {
            throw ConfigException.value(s, text, "has a leading zero, which UCarp reads as octal (" + cOctal(digits)
                    + "); write it in decimal without leading zeros").from(origin);
        }
        if (negative || digits.length() > 9 || Integer.parseInt(digits) < min || Integer.parseInt(digits) > max) {
            throw ConfigException.outOfRange(s, text, min + ".." + max).from(origin);
        }
        return Integer.parseInt(digits);
    }

    /** What C's strtoul(text, NULL, 0) makes of a number with a leading 0: octal up to the first non-octal digit. */
    private static long cOctal(String digits) {
        long value = 0;
        for (int i = 1; i < digits.length() && digits.charAt(i) <= '7' && i < 12; i++) {
            value = value * 8 + (digits.charAt(i) - '0');
        }
        return value;
    }
}
