package dev.karp.examples.embedded;

import dev.karp.FailoverConfigException;
import dev.karp.FailoverException;
import dev.karp.VipFailover;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds a floating IP in a CARP group (UCarp's, or {@code karp run}'s) and prints each state change:
 *
 * <pre>
 * java -jar karp-embedded.jar --interface eth0 --vhid 7 --password-file /etc/karp/password \
 *     --vip 10.200.0.100/24 --advskew 50
 * </pre>
 *
 * <p>Needs root (CAP_NET_RAW and CAP_NET_ADMIN), like {@code karp run}. SIGTERM (or Ctrl-C) bows out: a master
 * hands over at once and removes the VIP; then the program exits 0.
 */
public final class EmbeddedVip {
    private static final List<String> OPTIONS = List.of("--interface", "--vhid", "--password-file", "--vip",
            "--advskew");
    private static final List<String> REQUIRED = List.of("--vhid", "--password-file", "--vip");
    private static final String USAGE = "usage: java -jar karp-embedded.jar [--interface IFACE] --vhid 1..255"
            + " --password-file FILE --vip ADDRESS/PREFIX [--advskew 0..255]";

    private EmbeddedVip() {
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        VipFailover.Builder builder = VipFailover.builder()
                .vhid(number(options, "--vhid"))
                .passwordFile(Path.of(options.get("--password-file")))
                .vip(options.get("--vip"))
                .advskew(number(options, "--advskew"))
                // Called on a thread of karp's, one change at a time: it may block without delaying adverts.
                .listener(change -> {
                    System.out.println(change.to() + " (was " + change.from() + ": " + change.reason() + ")");
                    System.out.flush();
                });
        if (options.containsKey("--interface")) {
            builder.interfaceName(options.get("--interface"));
        }

        VipFailover failover;
        try {
            failover = builder.build();
        } catch (FailoverConfigException e) {
            // The message names the builder property (e.g. "vhid 0 is out of range"); nothing has changed yet.
            usageError(e.getMessage());
            return;
        }

        // SIGTERM runs the shutdown hooks: bow out, then exit 0 (the JVM would report 143 for the signal).
        Thread bowOut = new Thread(() -> {
            failover.close();
            Runtime.getRuntime().halt(0);
        }, "bow-out");
        Runtime.getRuntime().addShutdownHook(bowOut);
        try {
            failover.run(); // on this thread, until close()
        } catch (FailoverException e) {
            Runtime.getRuntime().removeShutdownHook(bowOut);
            System.err.println("karp-embedded: " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code --name value} or {@code --name=value}, each name once; advskew 0 unless given. */
    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String[] nameValue = args[i].split("=", 2);
            String name = nameValue[0];
            if (!OPTIONS.contains(name)) {
                usageError("unknown option " + name);
            }
            String value = nameValue.length == 2 ? nameValue[1] : i + 1 < args.length ? args[++i] : null;
            if (value == null) {
                usageError(name + " needs a value");
            }
            if (options.put(name, value) != null) {
                usageError(name + " is given twice");
            }
        }
        for (String name : REQUIRED) {
            if (!options.containsKey(name)) {
                usageError(name + " is required");
            }
        }
        options.putIfAbsent("--advskew", "0");
        return options;
    }

    private static int number(Map<String, String> options, String name) {
        try {
            return Integer.parseInt(options.get(name));
        } catch (NumberFormatException e) {
            usageError(name + " " + options.get(name) + " is not a number");
            return 0;
        }
    }

    private static void usageError(String problem) {
        System.err.println("karp-embedded: " + problem + "\n" + USAGE);
        System.exit(2);
    }
}
