package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help: how to use it, with worked examples. */
class HelpTest {
    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> out = new ArrayList<>();
        out.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!out.contains(sub)) {
                out.addAll(allCommands(sub));
            }
        }
        return out;
    }

    @Test
    void everyCommandsHelpEndsWithExamplesOfItself() {
        // given
        CommandLine root = Karp.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

        for (CommandLine c : allCommands(root)) {
            // when
            StringWriter out = new StringWriter();
            String[] path = c.getCommandSpec().qualifiedName(" ").split(" ");
            List<String> args = new ArrayList<>(List.of(path).subList(1, path.length));
            args.add("--help");
            int code = Karp.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                    .execute(args.toArray(String[]::new));

            // then
            String name = c.getCommandSpec().qualifiedName(" ");
            assertThat(code).as(name).isZero();
            assertThat(out.toString()).as(name).contains("Usage: " + name).contains("\nExamples:\n");
            String examples = out.toString().substring(out.toString().indexOf("\nExamples:\n"));
            assertThat(examples.lines().filter(l -> l.startsWith("  " + name)).count()).as("examples of %s", name)
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void theRootListsEveryCommand() {
        // given
        StringWriter out = new StringWriter();

        // when
        int code = Karp.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)).execute("--help");

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("  run ", "  status ", "  healthcheck ", "  sniff ", "  render-manifest ",
                "  kubeconfig ", "  san ", "  completion ");
    }
}
