package dev.karp.cli;

import static org.assertj.core.api.Assertions.fail;

import dev.karp.lab.Exec;
import dev.karp.lab.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What 'mvn package' built in karp-cli/target (failsafe runs in karp-cli): the distribution tarball and
 * the OCI image. A build with -Dkarp.dist.skip or -Dkarp.image.skip has none: the tests that need them
 * skip with the reason, or fail when CI=true (CI must build and test both).
 */
final class Artifacts {
    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path DIST = TARGET.resolve("karp-dist.tar.gz");
    static final Path IMAGE = TARGET.resolve("karp-oci.tar");

    private Artifacts() {
    }

    static Path require(Path artifact, String skippedBy) {
        if (!Files.isRegularFile(artifact)) {
            String why = artifact + " was not built (" + skippedBy + "?); 'mvn package' builds it";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return artifact;
    }

    /** Skips (fails under CI=true) unless {@code tool} is on the PATH. */
    static void requireTool(String tool, String debianPackage) throws IOException {
        if (!Exec.run(Duration.ofSeconds(10), List.of("sh", "-c", "command -v " + tool)).ok()) {
            String why = tool + " is missing (Debian: apt-get install " + debianPackage + "; .ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    /** Unpacks the distribution tarball into {@code dir}; returns the installation (dir/karp-VERSION). */
    static Path unpackDistribution(Path dir) throws IOException {
        run(Duration.ofSeconds(60), "tar", "-xzf", require(DIST, "-Dkarp.dist.skip").toString(), "-C", dir.toString());
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("karp-")).findFirst()
                    .orElseThrow(() -> new IOException("no karp-* directory in " + DIST));
        }
    }

    static ExecResult run(Duration limit, String... command) throws IOException {
        ExecResult r = Exec.run(limit, List.of(command));
        if (!r.ok()) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout());
        }
        return r;
    }
}
