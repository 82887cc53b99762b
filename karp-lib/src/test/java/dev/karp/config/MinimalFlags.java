package dev.karp.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line settings for the config tests. */
final class MinimalFlags {
    private MinimalFlags() {
    }

    /** The options a minimal valid command line gives, plus {@code more} as setting/value pairs. */
    static Map<Setting, String> flags(Object... more) {
        Map<Setting, String> m = new LinkedHashMap<>();
        m.put(Setting.PASS, "s3cret");
        m.put(Setting.ADDR, "10.200.0.100");
        for (int i = 0; i < more.length; i += 2) {
            m.put((Setting) more[i], (String) more[i + 1]);
        }
        return m;
    }
}
