package dev.karp.cli.options;

import dev.karp.config.ConfigLoader;
import dev.karp.config.KarpConfig;
import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --status-addr} for the commands that read a running daemon ({@code status}, {@code healthcheck}). */
public final class StatusAddressOption {
    @Option(names = "--status-addr", paramLabel = "ADDRESS:PORT",
            description = "The daemon's status endpoint, as given to karp run (default: 127.0.0.1:9241).")
    String statusAddr;

    /** The address, or empty when the text is not {@code ADDRESS:PORT}. */
    public Optional<InetSocketAddress> address() {
        if (statusAddr == null) {
            return Optional.of(KarpConfig.DEFAULT_STATUS_ADDRESS);
        }
        return ConfigLoader.StatusAddresses.parse(statusAddr);
    }

    /** As typed, for messages. */
    public String text() {
        return statusAddr == null ? "127.0.0.1:9241" : statusAddr;
    }
}
