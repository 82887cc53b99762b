package dev.karp.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point. {@link #commandLine} is shared by main and the tests, so both see the same wiring. */
public final class Karp {
    private Karp() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        // The daemon holds its command line until it stops, months later: model only 'run' for it.
        boolean daemon = args.length > 0 && args[0].equals("run");
        int code = (daemon ? daemonCommandLine(out, err) : commandLine(out, err)).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Builds the command line with its exit-code mapping and one-line error printing. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new KarpCommand()), out, err);
    }

    /**
     * The same for {@code karp run ...} only: the root without the other subcommands, whose picocli
     * models (reflection data, help texts, option types) would stay reachable for the daemon's whole
     * life. Measured: 1.5 MB less resident memory (docs/distribution.md).
     */
    static CommandLine daemonCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new DaemonRoot());
        // A CommandLine made here applies run's model transformer (its options); addSubcommand(Object) would not.
        cl.addSubcommand(new CommandLine(new RunCommand()));
        return configure(cl, out, err);
    }

    /** {@link KarpCommand} without its subcommands list: {@link #daemonCommandLine} adds 'run' alone. */
    @Command(name = "karp", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class DaemonRoot implements Runnable {
        @Override
        public void run() {
            // Unreachable: main picks this root only when the first argument is 'run'.
            throw new IllegalStateException("karp: missing subcommand");
        }
    }

    private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
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
