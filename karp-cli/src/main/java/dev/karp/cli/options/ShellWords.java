package dev.karp.cli.options;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into words like a POSIX shell does with a command line, without expansions:
 * blanks separate words, {@code '...'} is literal, {@code "..."} is literal except for
 * {@code \" \\ \$ \`}, and a backslash outside quotes keeps the next character.
 *
 * <p>Used for {@code KARP_EXTRA_FLAGS}. kube-karp's entrypoint expanded it unquoted, so the shell split it
 * at blanks and passed any quotes through literally; plain values split the same way here, and quotes now
 * let a value contain a blank.
 */
public final class ShellWords {
    private ShellWords() {
    }

    /** @throws IllegalArgumentException for an unterminated quote or a trailing backslash */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("has an unterminated ' quote");
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("ends with a lone backslash");
                }
                word.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a "..." body starting after the opening quote; returns the index after the closing quote. */
    private static int doubleQuoted(String text, int start, StringBuilder word) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("has an unterminated \" quote");
    }
}
