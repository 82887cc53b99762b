package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {
    @Test
    void theScriptCompletesEverySubcommandAndTheirOptions() {
        // when
        CliRun run = CliRun.of("completion");

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_karp -o default karp")
                .contains("status", "healthcheck", "sniff", "render-manifest", "kubeconfig", "san", "completion")
                .contains("--status-addr", "--watch", "--metrics-addr", "--write");
    }

    @Test
    void bashAcceptsTheScript() throws Exception {
        // given
        Path script = Files.createTempFile("karp-completion", ".bash");
        Files.writeString(script, CliRun.of("completion").out());

        // when: bash parses and loads it, and completes "karp sta"
        Process p = new ProcessBuilder("bash", "-c", "source " + script + " && COMP_WORDS=(karp sta) COMP_CWORD=1"
                + " COMP_LINE='karp sta' COMP_POINT=8 && _complete_karp && echo \"${COMPREPLY[@]}\"")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        Files.delete(script);

        // then
        assertThat(code).as(output).isZero();
        assertThat(output.strip()).isEqualTo("status");
    }
}
