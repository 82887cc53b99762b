package dev.karp.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code karp completion}: prints the bash (and zsh, through bashcompinit) completion script that picocli
 * generates from the command definitions, so it always matches this karp. The build also writes it to
 * {@code karp-cli/target/karp-completion.bash}.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print the shell completion script for karp (bash; zsh after 'autoload -U +X bashcompinit &&"
                    + " bashcompinit').",
            "",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(karp completion)",
            "  karp completion > /etc/bash_completion.d/karp",
        })
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("karp", spec.root().commandLine()));
        out.flush();
        return ExitCodes.OK;
    }
}
