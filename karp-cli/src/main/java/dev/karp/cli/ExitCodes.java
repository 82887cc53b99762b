package dev.karp.cli;

/** The exit codes of every karp command, named in one place. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** A runtime failure: the network, the host or a peer did not cooperate. */
    public static final int FAILURE = 1;
    /** Bad usage or configuration; nothing was changed on the host. Same as picocli's usage code. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
