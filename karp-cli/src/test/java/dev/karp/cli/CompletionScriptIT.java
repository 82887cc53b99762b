package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.NetnsLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The completion script the build writes beside karp.jar is the one {@code karp completion} prints. */
class CompletionScriptIT {
    @Test
    void theBuiltScriptIsWhatKarpCompletionPrints() throws Exception {
        // given
        Path built = Path.of("target", "karp-completion.bash");

        // when
        Process p = new ProcessBuilder(NetnsLab.java(), "-jar", NetnsLab.karpJar().toString(), "completion")
                .redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // then
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(built)).isEqualTo(printed);
    }
}
