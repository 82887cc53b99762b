package dev.karp.kube;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this repository outside the module (manifests/), found from the test's working directory. */
final class RepoFiles {
    private RepoFiles() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("manifests"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no manifests/ directory above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path manifests() {
        return root().resolve("manifests");
    }
}
