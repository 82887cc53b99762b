package dev.karp.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point. {@link #commandLine} is shared by main and the tests, so both see the same wiring. */
public final class Karp {
    private Karp() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Builds the command line with its exit-code mapping and one-line error printing. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new KarpCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> e instanceof KarpCliException k ? k.exitCode() : ExitCodes.FAILURE);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof KarpCliException k) {
                commandLine.getErr().println("karp: " + k.getMessage());
                return k.exitCode();
            }
            if (e instanceof CommandLine.ParameterException p) {
                throw p;
            }
            // An unexpected failure: one line by default, the stack trace only with KARP_DEBUG set.
            commandLine.getErr().println("karp: " + e);
            if (System.getenv("KARP_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return ExitCodes.FAILURE;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("karp: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
