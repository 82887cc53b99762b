package dev.karp.kube;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** External programs the tests use as independent checkers (kubectl), found or skipped with a reason. */
public final class Tools {
    private Tools() {
    }

    /** The result of a finished process. */
    public record Run(int exitCode, String stdout, String stderr) {
    }

    /**
     * The path of kubectl. Without it the test is skipped with the reason, except under CI=true, where a
     * missing checker must fail the build rather than hide it.
     */
    public static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String why = "kubectl is not on PATH; these tests use it as an independent kubeconfig reader";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: install kubectl)");
        }
        Assumptions.abort(why);
        return null;
    }

    /** Runs a command with extra environment, bounded in time; stdin is closed. */
    public static Run run(Map<String, String> env, Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("karp-tool", ".out");
        Path err = Files.createTempFile("karp-tool", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
