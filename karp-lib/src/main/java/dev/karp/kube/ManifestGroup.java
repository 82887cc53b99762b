package dev.karp.kube;

import dev.karp.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CARP group of a rendered manifest: an item of {@code groups:} in the config file that {@code karp run}
 * reads from the ConfigMap. A setting left null here is taken from the top level (the flags or values that
 * apply to every group).
 *
 * @param vhid          1..255, different in every group
 * @param vips          the group's addresses with their prefixes; IPv4 and IPv6 may be mixed (dual stack)
 * @param advbase       null: the top-level advbase
 * @param advskew       null: the top-level advskew
 * @param preempt       null: the top-level preempt
 * @param interfaceName null: the top-level interface (or each node's default-route interface)
 */
public record ManifestGroup(int vhid, List<Cidr> vips, Integer advbase, Integer advskew, Boolean preempt,
        String interfaceName) {
    /** The keys of {@code --group} and of a {@code groups:} item in a values file, in the order they are written. */
    public static final List<String> KEYS = List.of("vhid", "vip", "advbase", "advskew", "preempt", "interface");

    /** Copies the VIP list, so a group never changes after it is built. */
    public ManifestGroup {
        vips = List.copyOf(vips);
    }

    /**
     * Parses render-manifest's {@code --group vhid=2,vip=10.0.0.2/24,vip=fd00::2/64,advskew=100}: comma-separated
     * {@code KEY=VALUE}, {@code vip} repeatable.
     *
     * @throws IllegalArgumentException naming {@code --group}, the whole value and the problem
     */
    public static ManifestGroup parse(String spec) {
        String where = "--group " + spec;
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> vips = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": '" + part + "' is not KEY=VALUE (expected e.g."
                        + " vhid=2,vip=10.0.0.2/24,advskew=100)");
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (key.equals("vip")) {
                vips.add(value);
            } else if (m.put(key, value) != null) {
                throw new IllegalArgumentException(where + ": " + key + " is given twice");
            }
        }
        if (!vips.isEmpty()) {
            m.put("vip", vips);
        }
        return of(m, where);
    }

    /**
     * A group from a mapping (an item of {@code groups:} in a values file, or a parsed {@code --group}); values may
     * be text or YAML numbers and booleans, {@code vip} one string or a list.
     *
     * @param where how errors name the group, e.g. {@code values: groups[1]}
     */
    public static ManifestGroup of(Map<String, Object> m, String where) {
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                String hint = Set.of("password-file", "passfile", "pass", "upscript", "downscript").contains(key)
                        ? "; in Kubernetes every group uses the one password Secret and the top-level scripts" : "";
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (expected: "
                        + String.join(", ", KEYS) + ")" + hint);
            }
        }
        if (m.get("vhid") == null) {
            throw new IllegalArgumentException(where + " has no vhid (expected: vhid=1..255, its own in every group)");
        }
        int vhid = number(where, "vhid", m.get("vhid"), 1, 255);
        List<Cidr> vips = new ArrayList<>();
        Object v = m.get("vip");
        List<?> texts = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
        for (Object t : texts) {
            Cidr c;
            try {
                c = ManifestSettings.parseVip(String.valueOf(t).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage().replaceFirst("^--vip ", "vip "));
            }
            if (vips.stream().anyMatch(c::sameAddress)) {
                throw new IllegalArgumentException(where + ": vip " + c + " is given twice");
            }
            vips.add(c);
        }
        if (vips.isEmpty()) {
            throw new IllegalArgumentException(where + " has no vip (expected: vip=ADDRESS/PREFIX, one or more)");
        }
        Integer advbase = m.get("advbase") == null ? null : number(where, "advbase", m.get("advbase"), 0, 255);
        Integer advskew = m.get("advskew") == null ? null : number(where, "advskew", m.get("advskew"), 0, 255);
        Boolean preempt = null;
        if (m.get("preempt") != null) {
            String p = String.valueOf(m.get("preempt")).strip();
            if (!p.equals("true") && !p.equals("false")) {
                throw new IllegalArgumentException(where + ": preempt " + p + " is not true or false");
            }
            preempt = Boolean.valueOf(p);
        }
        String iface = m.get("interface") == null ? null : String.valueOf(m.get("interface")).strip();
        if (iface != null && !ManifestSettings.isInterfaceName(iface)) {
            throw new IllegalArgumentException(where + ": interface " + iface
                    + " is not an interface name (expected: up to 15 characters, e.g. eth0)");
        }
        return new ManifestGroup(vhid, vips, advbase, advskew, preempt, iface);
    }

    private static int number(String where, String key, Object value, int min, int max) {
        String text = String.valueOf(value).strip();
        if (!text.matches("\\d{1,3}")) {
            throw new IllegalArgumentException(where + ": " + key + " " + text + " is not a number (expected: "
                    + min + ".." + max + ")");
        }
        int n = Integer.parseInt(text);
        if (n < min || n > max) {
            throw new IllegalArgumentException(where + ": " + key + " " + n + " is out of range (expected: " + min
                    + ".." + max + ")");
        }
        return n;
    }
}
