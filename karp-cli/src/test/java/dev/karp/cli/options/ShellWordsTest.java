package dev.karp.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void blanksSeparateWords() {
        assertThat(ShellWords.split("  -P\t-k 50\n-x A ")).containsExactly("-P", "-k", "50", "-x", "A");
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertThat(ShellWords.split("-x 'a \"b\" \\c'")).containsExactly("-x", "a \"b\" \\c");
    }

    @Test
    void doubleQuotesHonourOnlyTheirFourEscapes() {
        assertThat(ShellWords.split("\"a \\\"b\\\" \\$c \\n\"")).containsExactly("a \"b\" $c \\n");
    }

    @Test
    void quotedPartsJoinTheWordAroundThem() {
        assertThat(ShellWords.split("--xparam=\"node a\"'s'")).containsExactly("--xparam=node as");
    }

    @Test
    void aBackslashKeepsABlank() {
        assertThat(ShellWords.split("a\\ b c")).containsExactly("a b", "c");
    }

    @Test
    void emptyQuotesMakeAnEmptyWord() {
        assertThat(ShellWords.split("-x ''")).containsExactly("-x", "");
    }

    @Test
    void anEmptyStringHasNoWords() {
        assertThat(ShellWords.split("   ")).isEmpty();
    }

    @Test
    void anUnterminatedDoubleQuoteIsRefused() {
        assertThatThrownBy(() -> ShellWords.split("-x \"a")).hasMessage("has an unterminated \" quote");
    }

    @Test
    void aTrailingBackslashIsRefused() {
        assertThatThrownBy(() -> ShellWords.split("-x a\\")).hasMessage("ends with a lone backslash");
    }
}
