package dev.karp.cli;

import dev.karp.FailoverConfigException;
import java.util.Map;

/**
 * The library names its builder's properties; {@code karp run}'s users know its flags. Maps one onto the other in
 * the library's messages, which start with the property's name.
 */
final class RunFlags {
    private static final Map<String, String> FLAG_OF_PROPERTY = Map.ofEntries(
            Map.entry("interfaceName", "--interface"),
            Map.entry("sourceAddress", "--srcip"),
            Map.entry("vhid", "--vhid"),
            Map.entry("password", "--pass"),
            Map.entry("passwordFile", "--password-file"),
            Map.entry("vip", "--vip"),
            Map.entry("advbase", "--advbase"),
            Map.entry("advskew", "--advskew"),
            Map.entry("deadratio", "--deadratio"),
            Map.entry("garpCount", "--garp-count"),
            Map.entry("multicastGroup", "--mcastip"),
            Map.entry("scriptTimeout", "--script-timeout"),
            Map.entry("realtimePriority", "--rt-priority"),
            Map.entry("healthCheck", "--health-url/--health-exec"),
            Map.entry("upscript", "--upscript"),
            Map.entry("downscript", "--downscript"));

    private RunFlags() {
    }

    /** The exception's message with its leading property name replaced by the flag. */
    static String inFlagTerms(FailoverConfigException e) {
        String property = e.property();
        String flag = FLAG_OF_PROPERTY.getOrDefault(property, property);
        String message = e.getMessage();
        return message.startsWith(property) ? flag + message.substring(property.length()) : message;
    }
}
