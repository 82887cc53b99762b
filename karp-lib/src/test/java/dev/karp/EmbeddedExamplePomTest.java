package dev.karp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * examples/embedded is a standalone Maven project, so it names karp's version itself: it must be this
 * build's, or the example would build against another karp-lib (or none).
 */
class EmbeddedExamplePomTest {

    @Test
    void theExampleDependsOnKarpLibAtTheProjectsVersion() throws Exception {
        // given
        Path root = Path.of("").toAbsolutePath().getParent();
        Document parent = parse(root.resolve("pom.xml"));
        Document example = parse(root.resolve("examples").resolve("embedded").resolve("pom.xml"));

        // when
        String projectVersion = text(parent, "/project/version");
        String karpVersion = text(example, "/project/properties/karp.version");
        String dependency = text(example, "/project/dependencies/dependency[artifactId='karp-lib']/version");

        // then
        assertThat(projectVersion).isNotBlank();
        assertThat(karpVersion).as("examples/embedded/pom.xml: property karp.version").isEqualTo(projectVersion);
        assertThat(dependency).isEqualTo("${karp.version}");
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String text(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).strip();
    }
}
