package dev.karp.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code karp run} options from a list of words the way UCarp's getopt_long does: {@code --name value},
 * {@code --name=value}, {@code -x value}, {@code -xvalue} and bundled switches ({@code -PnS}); a later
 * occurrence replaces an earlier one. Used for {@code KARP_EXTRA_FLAGS}; the command line itself is parsed by
 * picocli in karp-cli with the same names (from {@link Setting}).
 */
public final class FlagParser {
    private FlagParser() {
    }

    /**
     * @return each option given, with its value ({@code "true"} for a switch), in the order first seen
     * @throws IllegalArgumentException naming the word that is wrong
     */
    public static Map<Setting, String> parse(List<String> words) {
        Map<Setting, String> result = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("--") && word.length() > 2) {
                i = parseLong(words, i, result);
            } else if (word.startsWith("-") && word.length() > 1 && !word.equals("--")) {
                i = parseShort(words, i, result);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + word + "' (only options are accepted)");
            }
        }
        return result;
    }

    private static int parseLong(List<String> words, int i, Map<Setting, String> result) {
        String word = words.get(i);
        int eq = word.indexOf('=');
        String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
        Setting setting = Setting.byLongName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown option --" + name));
        if (!setting.takesValue()) {
            if (eq >= 0) {
                throw new IllegalArgumentException(setting.flag() + " takes no value (found '" + word + "')");
            }
            result.put(setting, "true");
            return i;
        }
        if (eq >= 0) {
            result.put(setting, word.substring(eq + 1));
            return i;
        }
        if (i + 1 >= words.size()) {
            throw new IllegalArgumentException(setting.flag() + " needs a value");
        }
        result.put(setting, words.get(i + 1));
        return i + 1;
    }

    private static int parseShort(List<String> words, int i, Map<Setting, String> result) {
        String word = words.get(i);
        for (int k = 1; k < word.length(); k++) {
            char letter = word.charAt(k);
            Setting setting = Setting.byShortName(letter)
                    .orElseThrow(() -> new IllegalArgumentException("unknown option -" + letter));
            if (!setting.takesValue()) {
                result.put(setting, "true");
                continue;
            }
            if (k + 1 < word.length()) {
                result.put(setting, word.substring(k + 1));
                return i;
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("-" + letter + " (" + setting.flag() + ") needs a value");
            }
            result.put(setting, words.get(i + 1));
            return i + 1;
        }
        return i;
    }
}
