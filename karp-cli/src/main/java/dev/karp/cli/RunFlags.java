package dev.karp.cli;

import dev.karp.FailoverConfigException;
import dev.karp.config.Setting;
import java.util.Map;

/**
 * The library names its builder's properties; {@code karp run}'s users know its flags. Maps one onto the other in
 * the library's messages, which start with the property's name. The flags' spellings come from {@link Setting}.
 */
final class RunFlags {
    private static final Map<String, Setting> SETTING_OF_PROPERTY = Map.ofEntries(
            Map.entry("interfaceName", Setting.INTERFACE),
            Map.entry("sourceAddress", Setting.SRCIP),
            Map.entry("vhid", Setting.VHID),
            Map.entry("password", Setting.PASS),
            Map.entry("passwordFile", Setting.PASSFILE),
            Map.entry("vip", Setting.VIP),
            Map.entry("advbase", Setting.ADVBASE),
            Map.entry("advskew", Setting.ADVSKEW),
            Map.entry("deadratio", Setting.DEADRATIO),
            Map.entry("garpCount", Setting.GARP_COUNT),
            Map.entry("garpRefresh", Setting.GARP_REFRESH),
            Map.entry("garpInterval", Setting.GARP_INTERVAL),
            Map.entry("vipLifetime", Setting.VIP_LIFETIME),
            Map.entry("peers", Setting.PEER),
            Map.entry("multicastGroup", Setting.MCASTIP),
            Map.entry("scriptTimeout", Setting.SCRIPT_TIMEOUT),
            Map.entry("realtimePriority", Setting.RT_PRIORITY),
            Map.entry("upscript", Setting.UPSCRIPT),
            Map.entry("downscript", Setting.DOWNSCRIPT));

    private RunFlags() {
    }

    /** The exception's message with its leading property name replaced by the flag. */
    static String inFlagTerms(FailoverConfigException e) {
        String property = e.property();
        String flag = property.equals("healthCheck") ? Setting.HEALTH_URL.flag() + "/" + Setting.HEALTH_EXEC.flag()
                : SETTING_OF_PROPERTY.containsKey(property) ? SETTING_OF_PROPERTY.get(property).flag() : property;
        String message = e.getMessage();
        return message.startsWith(property) ? flag + message.substring(property.length()) : message;
    }
}
