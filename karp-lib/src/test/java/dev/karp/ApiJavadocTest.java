package dev.karp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public type and member of the API package {@code dev.karp} has a doc comment. The build's javadoc
 * (maven-javadoc-plugin in verify) checks every package with doclint but without its "missing" group,
 * which would flag the internal packages; this runs javadoc on the API package alone with all of doclint
 * and fails on any error and on every "no comment" (a record's compact constructor included). A missing
 * {@code @param} or {@code @return} beside a comment is tolerated: records document their components once.
 */
class ApiJavadocTest {
    private static final Path API = Path.of("src", "main", "java", "dev", "karp");

    @Test
    void everyPublicTypeAndMemberOfTheApiIsDocumented(@TempDir Path out) throws IOException {
        // given
        List<String> sources;
        try (Stream<Path> files = Files.list(API)) {
            sources = files.map(Path::toString).filter(f -> f.endsWith(".java")).sorted().toList();
        }
        assertThat(sources).as("the API's sources in " + API).isNotEmpty();
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        List<String> args = new ArrayList<>(List.of("-quiet", "-Xdoclint:all", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path")));
        args.addAll(sources);

        // when
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(messages, true, StandardCharsets.UTF_8)) {
            exit = javadoc.run(null, print, print, args.toArray(String[]::new));
        }

        // then
        String text = messages.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text.lines().filter(l -> l.contains(": error: ") || l.endsWith(": warning: no comment")))
                .as(text).isEmpty();
    }
}
