package dev.karp.config;

/**
 * Where a configuration value came from, so an error can name the place the user has to fix.
 *
 * @param source the kind of place
 * @param detail the environment variable, the file path, or why a default was chosen; empty for the command line
 */
public record Origin(Source source, String detail) {
    /** The kinds of place, highest precedence first. */
    public enum Source { COMMAND_LINE, ENVIRONMENT, FILE, DEFAULT }

    public static final Origin COMMAND_LINE = new Origin(Source.COMMAND_LINE, "");

    public Origin {
        if (source == null || detail == null) {
            throw new NullPointerException("source and detail are required");
        }
    }

    public static Origin environment(String variable) {
        return new Origin(Source.ENVIRONMENT, variable);
    }

    public static Origin file(String path) {
        return new Origin(Source.FILE, path);
    }

    public static Origin defaulted(String why) {
        return new Origin(Source.DEFAULT, why);
    }

    /**
     * The words put after the option in an error: empty for the command line (the user just typed it),
     * else e.g. {@code " (from KARP_SERVER_ID)"}.
     */
    public String inMessage() {
        return switch (source) {
            case COMMAND_LINE, DEFAULT -> "";
            case ENVIRONMENT, FILE -> " (from " + detail + ")";
        };
    }

    /** A short description for {@code karp run --check-config}, e.g. {@code "environment KARP_SERVER_ID"}. */
    public String describe() {
        return switch (source) {
            case COMMAND_LINE -> "command line";
            case ENVIRONMENT -> "environment " + detail;
            case FILE -> "file " + detail;
            case DEFAULT -> detail.isEmpty() ? "default" : "default: " + detail;
        };
    }
}
