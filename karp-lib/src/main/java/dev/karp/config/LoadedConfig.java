package dev.karp.config;

import dev.karp.time.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded configuration, the warnings found while loading it (to print once at startup) and where each
 * value came from (for {@code karp run --check-config}).
 *
 * @param config   the checked configuration
 * @param warnings one line each, e.g. that {@code --pass} shows the password in {@code ps}
 * @param origins  by long option name, plus {@code vip-prefix}
 */
public record LoadedConfig(KarpConfig config, List<String> warnings, Map<String, Origin> origins) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
        origins = Map.copyOf(origins);
    }

    /**
     * The effective configuration, one {@code key: value  # source} line per option, keys as in the YAML
     * file. The password shows as {@code (hidden, N bytes)}.
     */
    public List<String> describe() {
        KarpConfig c = config;
        List<String[]> rows = new ArrayList<>();
        rows.add(row("interface", c.interfaceName(), "interface"));
        rows.add(row("srcip", c.srcip().map(a -> a.getHostAddress()).orElse("(IPv6 link-local)"), "srcip"));
        rows.add(row("vhid", c.vhid(), "vhid"));
        rows.add(row("pass", c.password(), "pass"));
        String prefixFrom = origins.containsKey("vip-prefix") ? "; prefix: " + origins.get("vip-prefix").describe() : "";
        rows.add(new String[] {"vip", c.vips().isEmpty() ? "(per group)" : c.vips().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.joining(",")), source("vip") + prefixFrom});
        for (KarpConfig.Group g : c.groups()) {
            rows.add(new String[] {"group " + g.vhid(), g.vips().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(",")) + g.interfaceName().map(i -> " on " + i).orElse("")
                    + g.advskew().stream().mapToObj(k -> " advskew " + k).findFirst().orElse(""), source("config")});
        }
        rows.add(row("advbase", c.advbase(), "advbase"));
        rows.add(row("advskew", c.advskew(), "advskew"));
        rows.add(row("deadratio", c.deadratio(), "deadratio"));
        rows.add(row("preempt", c.preempt(), "preempt"));
        rows.add(row("neutral", c.neutral(), "neutral"));
        rows.add(row("upscript", c.upscript().map(Object::toString).orElse("none"), "upscript"));
        rows.add(row("downscript", c.downscript().map(Object::toString).orElse("none"), "downscript"));
        rows.add(row("xparam", c.xparam().orElse("none"), "xparam"));
        rows.add(row("shutdown", c.shutdown(), "shutdown"));
        rows.add(row("ignoreifstate", c.ignoreifstate(), "ignoreifstate"));
        rows.add(row("nomcast", c.nomcast(), "nomcast"));
        rows.add(row("mcastip", c.mcastip().getHostAddress(), "mcastip"));
        rows.add(row("debug", c.debug(), "debug"));
        rows.add(row("status-addr", c.statusAddress().map(a -> hostPort(a)).orElse("off"), "status-addr"));
        rows.add(row("garp-count", c.garpCount(), "garp-count"));
        rows.add(row("garp-interval", Durations.format(c.garpInterval()), "garp-interval"));
        rows.add(row("vip-lifetime", c.vipLifetime().map(d -> d.isZero() ? "off" : Durations.format(d)).orElse("auto"),
                "vip-lifetime"));
        rows.add(row("auth", c.auth().word(), "auth"));
        rows.add(row("script-timeout", Durations.format(c.scriptTimeout()), "script-timeout"));
        rows.add(row("metrics-addr", c.metricsAddress().map(a -> hostPort(a)).orElse("off"), "metrics-addr"));
        healthRows(c, rows);
        rows.add(row("rt-priority", c.rtPriority() == 0 ? "off" : Integer.toString(c.rtPriority()), "rt-priority"));
        int width = rows.stream().mapToInt(r -> r[0].length() + r[1].length() + 2).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            String kv = r[0] + ": " + r[1];
            lines.add(kv + " ".repeat(width - kv.length()) + "  # " + r[2]);
        }
        return lines;
    }

    /** One row for the check's target; the tuning rows only when there is a check. */
    private void healthRows(KarpConfig c, List<String[]> rows) {
        if (c.healthCheck().isEmpty()) {
            rows.add(row("health-url", "none", "health-url"));
            return;
        }
        HealthCheck h = c.healthCheck().get();
        if (h.target() instanceof HealthCheck.Http http) {
            rows.add(row("health-url", http.url(), "health-url"));
            rows.add(row("health-expect-status", http.expectStatus().isPresent()
                    ? Integer.toString(http.expectStatus().getAsInt()) : "any", "health-expect-status"));
            rows.add(row("health-ca", http.ca().map(Object::toString).orElse(http.loopback()
                    ? "none (loopback: not verified)" : "none (system trust store)"), "health-ca"));
        } else if (h.target() instanceof HealthCheck.Exec exec) {
            rows.add(row("health-exec", exec.command(), "health-exec"));
        }
        rows.add(row("health-interval", Durations.format(h.interval()), "health-interval"));
        rows.add(row("health-timeout", Durations.format(h.timeout()), "health-timeout"));
        rows.add(row("health-fails", h.fails(), "health-fails"));
        rows.add(row("health-rises", h.rises(), "health-rises"));
    }

    private String[] row(String key, Object value, String originKey) {
        return new String[] {key, String.valueOf(value), source(originKey)};
    }

    private String source(String key) {
        Origin o = origins.get(key);
        return o == null ? "default" : o.describe();
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
