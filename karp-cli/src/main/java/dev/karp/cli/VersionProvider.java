package dev.karp.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar manifest, so there is one source of truth. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = KarpCommand.class.getPackage().getImplementationVersion();
        return new String[] {"karp " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
