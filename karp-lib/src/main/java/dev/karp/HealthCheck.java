package dev.karp;

import dev.karp.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A check that demotes this node while it fails: a backup then never takes over, and a master hands the VIP to
 * a healthy backup. Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * HealthCheck.http(URI.create("https://127.0.0.1:6443/readyz")).withInterval(Duration.ofSeconds(1)).withFails(2)
 * HealthCheck.exec("systemctl is-active --quiet haproxy")
 * }</pre>
 *
 * <p>A probe starts every {@code interval}; one still running after {@code timeout} fails. {@code fails} failed
 * probes in a row demote the node; {@code rises} good ones in a row end the demotion. The node starts demoted
 * and stays so until the first probe passes.
 */
public final class HealthCheck {
    private static final String[][] FLAG_WORDS = {
        {"--health-expect-status", "expect status"}, {"--health-interval", "interval"},
        {"--health-timeout", "timeout"}, {"--health-fails", "fails"}, {"--health-rises", "rises"},
        {"--health-url", "url"}, {"--health-exec", "command"}, {"--health-ca", "CA file"}};

    private final dev.karp.config.HealthCheck check;

    private HealthCheck(dev.karp.config.HealthCheck check) {
        this.check = check;
    }

    /**
     * An HTTP(S) GET of {@code url}: any HTTP answer is healthy (a 401 from an API server still proves it answers),
     * unless {@link #withExpectStatus(int)} names the one status that is. A loopback https URL is not verified
     * unless {@link #withCaFile(Path)} is given; any other is verified with the system's trust store.
     *
     * @param url an absolute http:// or https:// URL with a host and no user info
     * @return the check with the default interval (1 s), timeout (1 s), fails (2) and rises (2)
     * @throws FailoverConfigException if the URL is not usable
     */
    public static HealthCheck http(URI url) {
        Objects.requireNonNull(url, "url");
        return of(() -> new dev.karp.config.HealthCheck.Http(url, OptionalInt.empty(), Optional.empty()));
    }

    /**
     * A command run with {@code /bin/sh -c}; exit status 0 is healthy.
     *
     * @param shellCommand the command line
     * @return the check with the default interval (1 s), timeout (1 s), fails (2) and rises (2)
     * @throws FailoverConfigException if the command is blank
     */
    public static HealthCheck exec(String shellCommand) {
        Objects.requireNonNull(shellCommand, "shellCommand");
        return of(() -> new dev.karp.config.HealthCheck.Exec(shellCommand));
    }

    private static HealthCheck of(java.util.function.Supplier<dev.karp.config.HealthCheck.Target> target) {
        return new HealthCheck(checked(() -> dev.karp.config.HealthCheck.of(target.get())));
    }

    /**
     * @param interval how often a probe starts, 100 ms..10 min
     * @return a copy with this interval
     */
    public HealthCheck withInterval(Duration interval) {
        return new HealthCheck(checked(() -> new dev.karp.config.HealthCheck(check.target(), interval, check.timeout(),
                check.fails(), check.rises())));
    }

    /**
     * @param timeout how long a probe may run before it fails and is cut off, 10 ms..10 min
     * @return a copy with this timeout
     */
    public HealthCheck withTimeout(Duration timeout) {
        return new HealthCheck(checked(() -> new dev.karp.config.HealthCheck(check.target(), check.interval(), timeout,
                check.fails(), check.rises())));
    }

    /**
     * @param fails failed probes in a row that demote the node, 1..100
     * @return a copy with this count
     */
    public HealthCheck withFails(int fails) {
        return new HealthCheck(checked(() -> new dev.karp.config.HealthCheck(check.target(), check.interval(),
                check.timeout(), fails, check.rises())));
    }

    /**
     * @param rises good probes in a row that end a demotion, 1..100
     * @return a copy with this count
     */
    public HealthCheck withRises(int rises) {
        return new HealthCheck(checked(() -> new dev.karp.config.HealthCheck(check.target(), check.interval(),
                check.timeout(), check.fails(), rises)));
    }

    /**
     * @param status the only HTTP status that is healthy, 100..599 (HTTP checks only)
     * @return a copy that expects this status
     */
    public HealthCheck withExpectStatus(int status) {
        return new HealthCheck(checked(() -> new dev.karp.config.HealthCheck(
                new dev.karp.config.HealthCheck.Http(http().url(), OptionalInt.of(status), http().ca()),
                check.interval(), check.timeout(), check.fails(), check.rises())));
    }

    /**
     * @param pemFile PEM certificates to verify the https server with (https checks only)
     * @return a copy that verifies with these certificates
     */
    public HealthCheck withCaFile(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        return new HealthCheck(checked(() -> new dev.karp.config.HealthCheck(
                new dev.karp.config.HealthCheck.Http(http().url(), http().expectStatus(), Optional.of(pemFile)),
                check.interval(), check.timeout(), check.fails(), check.rises())));
    }

    /** @return how often a probe starts */
    public Duration interval() {
        return check.interval();
    }

    /** @return how long a probe may run */
    public Duration timeout() {
        return check.timeout();
    }

    /** @return failed probes in a row that demote the node */
    public int fails() {
        return check.fails();
    }

    /** @return good probes in a row that end a demotion */
    public int rises() {
        return check.rises();
    }

    /** @return one line, e.g. {@code GET https://127.0.0.1:6443/readyz every 1s} */
    @Override
    public String toString() {
        return check.target().describe();
    }

    /** The internal form the probes run with. */
    dev.karp.config.HealthCheck internal() {
        return check;
    }

    private dev.karp.config.HealthCheck.Http http() {
        if (check.target() instanceof dev.karp.config.HealthCheck.Http h) {
            return h;
        }
        throw new FailoverConfigException("healthCheck", "healthCheck: expect status and CA file apply to HTTP checks only");
    }

    /**
     * The loader's checks name CLI flags ({@code --health-interval}); an embedding program has none, so the
     * message is put in terms of this class's methods.
     */
    private static dev.karp.config.HealthCheck checked(java.util.function.Supplier<dev.karp.config.HealthCheck> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            String message = e.getMessage();
            for (String[] r : FLAG_WORDS) {
                message = message.replace(r[0], r[1]);
            }
            throw new FailoverConfigException("healthCheck", "healthCheck: " + message);
        }
    }
}
