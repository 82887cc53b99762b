package dev.karp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's boundaries, read from its sources: the failover engine (the API package and the packages
 * it runs on) uses neither the CLI's tooling packages nor the optional dependencies, so a program that
 * embeds {@code VipFailover} needs no YAML or Prometheus on its class path; and every package but the
 * API says it is internal.
 */
class LibraryBoundariesTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "karp");
    /** The packages {@code VipFailover} runs on; dev.karp itself is scanned too. */
    private static final List<String> ENGINE = List.of("carp", "election", "link", "netlink", "vip", "health",
            "scripts", "daemon", "status", "log", "config");
    /** karp run's YAML file reader: the one YAML class of config, reached only through ConfigLoader. */
    private static final List<String> YAML_READERS = List.of("YamlConfigFile.java", "ConfigLoader.java");
    /** Packages and classes outside the engine: the CLI's tooling, and the optional dependencies. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(dev\\.karp\\.(kube|sniff|metrics)|com\\.fasterxml\\.jackson\\.dataformat|org\\.yaml|io\\.prometheus)\\."
            + "|\\bYamlConfigFile\\b");
    private static final String INTERNAL = "Internal: not part of karp's API; may change in any release."
            + " The API is package {@code dev.karp}.";

    @Test
    void theFailoverEngineUsesNoKubeSniffMetricsOrYamlClasses() throws IOException {
        // given
        List<Path> engine = new ArrayList<>(javaFiles(SOURCES, 1));
        for (String pkg : ENGINE) {
            List<Path> files = javaFiles(SOURCES.resolve(pkg), Integer.MAX_VALUE);
            assertThat(files).as("sources of dev.karp." + pkg).isNotEmpty();
            engine.addAll(files);
        }

        // when
        List<String> uses = new ArrayList<>();
        for (Path file : engine) {
            if (!YAML_READERS.contains(file.getFileName().toString())) {
                uses.addAll(forbiddenUses(file));
            }
        }

        // then
        assertThat(uses).as("the engine must not depend on these (docs/library.md, dependencies)").isEmpty();
    }

    @Test
    void theScanFindsWhatItLooksFor() throws IOException {
        assertThat(forbiddenUses(SOURCES.resolve("kube").resolve("YamlText.java"))).isNotEmpty();
        assertThat(forbiddenUses(SOURCES.resolve("metrics").resolve("KarpMetrics.java"))).isNotEmpty();
    }

    @Test
    void everyPackageButTheApiSaysItIsInternal() throws IOException {
        // given
        List<Path> packages;
        try (Stream<Path> dirs = Files.walk(SOURCES)) {
            packages = dirs.filter(Files::isDirectory).filter(d -> !d.equals(SOURCES))
                    .filter(d -> !javaFiles(d, 1).isEmpty()).toList();
        }
        assertThat(packages).hasSizeGreaterThan(10);

        for (Path dir : packages) {
            // when
            Path info = dir.resolve("package-info.java");

            // then
            assertThat(info).as("package-info.java of %s", dir).exists();
            assertThat(Files.readString(info).replaceAll("\\s*\\n\\s*\\*\\s*", " ")).as(info.toString())
                    .contains(INTERNAL);
        }
    }

    private static List<Path> javaFiles(Path dir, int depth) {
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each line (as file:line: text) that names a forbidden package or class outside comments. */
    private static List<String> forbiddenUses(Path file) throws IOException {
        String[] lines = withoutComments(Files.readString(file)).split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = FORBIDDEN.matcher(lines[i]);
            if (m.find()) {
                out.add(file + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return out;
    }

    /** The source with comments blanked out (line breaks kept, so line numbers stay right). */
    static String withoutComments(String source) {
        StringBuilder b = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"') {
                // a string literal (text blocks too): copied, so "//" inside one is not a comment
                int end = source.startsWith("\"\"\"", i) ? source.indexOf("\"\"\"", i + 3) + 3 : stringEnd(source, i);
                end = end < 3 ? source.length() : end;
                b.append(source, i, end);
                i = end;
            } else if (c == '\'') {
                int end = Math.min(source.length(), source.charAt(i + 1) == '\\' ? source.indexOf('\'', i + 3) + 1
                        : i + 3);
                b.append(source, i, end);
                i = end;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> b.append('\n'));
                i = end;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    private static int stringEnd(String source, int start) {
        int i = start + 1;
        while (i < source.length() && source.charAt(i) != '"' && source.charAt(i) != '\n') {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(source.length(), i + 1);
    }
}
