package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.kube.KarpImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same sources give the same bytes: the distribution and the image are built a second time, from the
 * same karp.jar in another directory, and compared with what 'mvn package' made.
 */
class ReproducibleBuildIT {
    private static final Pattern DIGEST = Pattern.compile("\"digest\":\"(sha256:[0-9a-f]{64})\"");

    @TempDir
    Path again;

    @Test
    void aSecondBuildGivesTheSameDistributionAndTheSameImageLayers() throws IOException {
        // given: the first build's outputs and inputs
        Path dist = Artifacts.require(Artifacts.DIST, "-Dkarp.dist.skip");
        Path image = Artifacts.require(Artifacts.IMAGE, "-Dkarp.image.skip");
        Path target = Files.createDirectories(again.resolve("target"));
        Files.copy(Artifacts.TARGET.resolve("karp.jar"), target.resolve("karp.jar"));
        String version = KarpImage.projectVersion();

        // when
        Artifacts.run(Duration.ofMinutes(5), "bash", "-c", "set -e; . \"$1\"; bash \"$2\" \"$3\" \"$4\" \"$KARP_RUNTIME_JDK\";"
                        + " bash \"$5\" oci \"$3\" \"$4\"", "rebuild",
                Artifacts.TARGET.resolve("dist-inputs.env").toString(), Path.of("src/dist/build-dist.sh").toAbsolutePath().toString(),
                target.toString(), version, Path.of("src/image/build-image.sh").toAbsolutePath().toString());

        // then
        assertThat(Files.mismatch(dist, target.resolve("karp-dist.tar.gz"))).as("first differing byte").isEqualTo(-1);
        assertThat(layers(target.resolve("karp-oci.tar"), again.resolve("second"))).isEqualTo(layers(image, again.resolve("first")));
    }

    /** The config and layer digests the image's manifest lists. */
    private static List<String> layers(Path ociTar, Path dir) throws IOException {
        Files.createDirectories(dir);
        Artifacts.run(Duration.ofSeconds(60), "tar", "-xf", ociTar.toString(), "-C", dir.toString());
        Matcher index = DIGEST.matcher(Files.readString(dir.resolve("index.json")));
        assertThat(index.find()).isTrue();
        String manifest = Files.readString(dir.resolve("blobs/sha256").resolve(index.group(1).substring(7)));
        List<String> digests = new ArrayList<>();
        Matcher m = DIGEST.matcher(manifest);
        while (m.find()) {
            digests.add(m.group(1));
        }
        assertThat(digests).hasSize(3);
        return digests.subList(1, 3);
    }
}
