package dev.karp.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar manifest, so there is one source of truth. */
final class VersionProvider implements IVersionProvider {
    /** The version in the jar manifest, or {@code (development build)} when run from classes. */
    static String version() {
        String version = KarpCommand.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"karp " + version(),
            "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
