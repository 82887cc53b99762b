package dev.karp.config;

import dev.karp.time.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The health check of {@code karp run}: what to probe, how often, and how many results in a row change the
 * verdict. While the verdict is "failing" the node is demoted (docs/protocol.md, "Demotion by health").
 *
 * @param target   what to probe: an HTTP(S) URL ({@code --health-url}) or a command ({@code --health-exec})
 * @param interval a probe starts this long after the previous one started ({@code --health-interval})
 * @param timeout  a probe still running after this counts as failed and is cut off ({@code --health-timeout})
 * @param fails    consecutive failures that demote the node ({@code --health-fails})
 * @param rises    consecutive successes that end the demotion ({@code --health-rises})
 */
public record HealthCheck(Target target, Duration interval, Duration timeout, int fails, int rises) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_FAILS = 2;
    public static final int DEFAULT_RISES = 2;
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(10);
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    public static final int MAX_COUNT = 100;

    /** What a probe looks at. */
    public sealed interface Target permits Http, Exec {
        /** One line for logs and {@code --check-config}, e.g. {@code GET https://127.0.0.1:6443/readyz}. */
        String describe();
    }

    /**
     * An HTTP GET. It succeeds on any HTTP response, or only on {@code expectStatus} when one is given: a 401
     * or 403 from an API server still proves it answers.
     *
     * @param url          http or https, with a host
     * @param expectStatus the only status that counts as healthy, or empty for any
     * @param ca           PEM certificates to verify the server with; empty: a loopback URL is not verified,
     *                     any other is verified with the system's trust store
     */
    public record Http(URI url, OptionalInt expectStatus, Optional<Path> ca) implements Target {
        public Http {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(expectStatus, "expectStatus");
            Objects.requireNonNull(ca, "ca");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw ConfigException.value(Setting.HEALTH_URL, url,
                        "is not an http:// or https:// URL with a host (expected e.g. https://127.0.0.1:6443/readyz)");
            }
            if (url.getRawUserInfo() != null) {
                throw ConfigException.of(Setting.HEALTH_URL, "--health-url",
                        "holds a user name or password; karp sends no credentials (a 401 already proves the server"
                                + " answers)");
            }
            if (expectStatus.isPresent() && (expectStatus.getAsInt() < 100 || expectStatus.getAsInt() > 599)) {
                throw ConfigException.outOfRange(Setting.HEALTH_EXPECT_STATUS, expectStatus.getAsInt(), "100..599");
            }
            if (ca.isPresent() && !scheme.equals("https")) {
                throw ConfigException.value(Setting.HEALTH_CA, ca.get(), "needs an https:// --health-url");
            }
        }

        /** True for {@code localhost} and loopback literals (127.0.0.0/8, ::1); never resolves a name. */
        public boolean loopback() {
            String host = url.getHost().toLowerCase(Locale.ROOT);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return host.equals("localhost") || host.startsWith("127.") && host.chars().allMatch(
                    c -> c == '.' || c >= '0' && c <= '9') || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
        }

        @Override
        public String describe() {
            return "GET " + url;
        }
    }

    /**
     * A command run by {@code /bin/sh -c}; exit status 0 is healthy.
     *
     * @param command the shell command line
     */
    public record Exec(String command) implements Target {
        public Exec {
            Objects.requireNonNull(command, "command");
            if (command.isBlank()) {
                throw ConfigException.of(Setting.HEALTH_EXEC, "--health-exec", "is empty; give a command, e.g. "
                        + "'curl -fsk https://127.0.0.1:6443/readyz'");
            }
        }

        @Override
        public String describe() {
            return "sh -c '" + command + "'";
        }
    }

    public HealthCheck {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw ConfigException.outOfRange(Setting.HEALTH_INTERVAL, Durations.format(interval), "100ms..10m");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw ConfigException.outOfRange(Setting.HEALTH_TIMEOUT, Durations.format(timeout), "10ms..10m");
        }
        if (fails < 1 || fails > MAX_COUNT) {
            throw ConfigException.outOfRange(Setting.HEALTH_FAILS, fails, "1.." + MAX_COUNT);
        }
        if (rises < 1 || rises > MAX_COUNT) {
            throw ConfigException.outOfRange(Setting.HEALTH_RISES, rises, "1.." + MAX_COUNT);
        }
    }

    /** A check of {@code target} with the default interval, timeout, fails and rises. */
    public static HealthCheck of(Target target) {
        return new HealthCheck(target, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_FAILS, DEFAULT_RISES);
    }
}
