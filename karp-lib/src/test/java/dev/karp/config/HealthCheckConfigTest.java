package dev.karp.config;

import static dev.karp.config.MinimalFlags.flags;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code --health-*} options of {@code karp run}, through {@link ConfigLoader}. */
class HealthCheckConfigTest {
    private static final Map<String, String> NO_ENV = Map.of();
    private static final String API = "https://127.0.0.1:6443/readyz";

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(FakeHostInterfaces.nodeA());

    private String messageOf(Map<Setting, String> flags, Map<String, String> env) {
        try {
            loader.load(flags, env);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void withoutAHealthOptionThereIsNoCheck() {
        LoadedConfig c = loader.load(flags(), NO_ENV);

        assertThat(c.config().healthCheck()).isEmpty();
        assertThat(c.describe()).anyMatch(l -> l.startsWith("health-url: none"));
    }

    @Test
    void aUrlAloneGetsTheDefaults() {
        LoadedConfig c = loader.load(flags(Setting.HEALTH_URL, API), NO_ENV);

        HealthCheck h = c.config().healthCheck().orElseThrow();
        assertThat(h.target()).isEqualTo(new HealthCheck.Http(URI.create(API), OptionalInt.empty(), Optional.empty()));
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.fails()).isEqualTo(2);
        assertThat(h.rises()).isEqualTo(2);
    }

    @Test
    void everyTuningOptionIsTaken() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), TestPem.CERTIFICATE);

        HealthCheck h = loader.load(flags(Setting.HEALTH_URL, API, Setting.HEALTH_INTERVAL, "500ms",
                Setting.HEALTH_TIMEOUT, "250ms", Setting.HEALTH_FAILS, "3", Setting.HEALTH_RISES, "4",
                Setting.HEALTH_EXPECT_STATUS, "200", Setting.HEALTH_CA, ca.toString()), NO_ENV).config().healthCheck().orElseThrow();

        assertThat(h).isEqualTo(new HealthCheck(new HealthCheck.Http(URI.create(API), OptionalInt.of(200), Optional.of(ca)),
                Duration.ofMillis(500), Duration.ofMillis(250), 3, 4));
    }

    @Test
    void aCommandIsACheckToo() {
        HealthCheck h = loader.load(flags(Setting.HEALTH_EXEC, "curl -fsk " + API), NO_ENV).config().healthCheck()
                .orElseThrow();

        assertThat(h.target()).isEqualTo(new HealthCheck.Exec("curl -fsk " + API));
    }

    @Test
    void theCheckCanComeFromExtraFlags() {
        LoadedConfig c = loader.load(flags(), Map.of(Setting.HEALTH_URL, API, Setting.HEALTH_FAILS, "3"), NO_ENV);

        assertThat(c.config().healthCheck().orElseThrow().fails()).isEqualTo(3);
        assertThat(c.describe()).anyMatch(l -> l.startsWith("health-fails: 3") && l.endsWith("# environment KARP_EXTRA_FLAGS"));
    }

    @Test
    void offOnTheCommandLineTurnsOffAUrlFromTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("karp.yaml"), "health-url: " + API + "\n");

        LoadedConfig c = loader.load(flags(Setting.CONFIG, file.toString(), Setting.HEALTH_URL, "off"), NO_ENV);

        assertThat(c.config().healthCheck()).isEmpty();
    }

    @Test
    void checkConfigShowsTheCheckAndThatALoopbackUrlIsNotVerified() {
        LoadedConfig c = loader.load(flags(Setting.HEALTH_URL, API), NO_ENV);

        assertThat(c.describe()).anyMatch(l -> l.startsWith("health-url: " + API) && l.endsWith("# command line"))
                .anyMatch(l -> l.startsWith("health-expect-status: any"))
                .anyMatch(l -> l.startsWith("health-ca: none (loopback: not verified)"))
                .anyMatch(l -> l.startsWith("health-interval: 1s") && l.endsWith("# default"))
                .anyMatch(l -> l.startsWith("health-fails: 2"));
    }

    @Test
    void tuningWithoutACheckIsIgnoredWithAWarning() {
        LoadedConfig c = loader.load(flags(Setting.HEALTH_FAILS, "3"), NO_ENV);

        assertThat(c.config().healthCheck()).isEmpty();
        assertThat(c.warnings()).contains("--health-fails 3 is ignored: there is no --health-url or --health-exec");
    }

    @Test
    void aUrlAndACommandTogetherAreRefused() {
        String m = messageOf(flags(Setting.HEALTH_URL, API, Setting.HEALTH_EXEC, "true"), NO_ENV);

        assertThat(m).isEqualTo("--health-url and --health-exec are both given; use one (a --health-exec command can"
                + " run several checks)");
    }

    @Test
    void anExpectedStatusForACommandIsRefused() {
        String m = messageOf(flags(Setting.HEALTH_EXEC, "true", Setting.HEALTH_EXPECT_STATUS, "200"), NO_ENV);

        assertThat(m).isEqualTo("--health-expect-status 200 applies to --health-url only; a --health-exec command"
                + " checks what it likes");
    }

    @Test
    void aCaFileWithoutCertificatesIsRefusedBeforeAnythingRuns() throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.crt"), "hello\n");

        String m = messageOf(flags(Setting.HEALTH_URL, API, Setting.HEALTH_CA, notPem.toString()), NO_ENV);

        assertThat(m).startsWith("--health-ca " + notPem + " cannot be read as PEM certificates");
    }

    @Test
    void aBadValueFromTheFileNamesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("karp.yaml"), "health-url: ftp://example.com/x\n");

        String m = messageOf(flags(Setting.CONFIG, file.toString()), NO_ENV);

        assertThat(m).isEqualTo("--health-url ftp://example.com/x (from " + file + ") is not an http:// or https:// URL"
                + " with a host (expected e.g. https://127.0.0.1:6443/readyz)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "HEALTH_URL|127.0.0.1:6443/readyz|--health-url 127.0.0.1:6443/readyz is not an http:// or https:// URL with a host (expected e.g. https://127.0.0.1:6443/readyz)",
        "HEALTH_URL|https://exa mple/|--health-url https://exa mple/ is not a URL: Illegal character in authority (expected e.g. https://127.0.0.1:6443/readyz)",
        "HEALTH_URL|https://user:pw@127.0.0.1:6443/|--health-url holds a user name or password; karp sends no credentials (a 401 already proves the server answers)",
        "HEALTH_INTERVAL|50ms|--health-interval 50ms is out of range (expected: 100ms..10m)",
        "HEALTH_INTERVAL|soon|--health-interval soon is not a duration (expected e.g. 30s, 500ms or 2m)",
        "HEALTH_TIMEOUT|11m|--health-timeout 11m is out of range (expected: 10ms..10m)",
        "HEALTH_FAILS|0|--health-fails 0 is out of range (expected: 1..100)",
        "HEALTH_RISES|101|--health-rises 101 is out of range (expected: 1..100)",
        "HEALTH_EXPECT_STATUS|99|--health-expect-status 99 is out of range (expected: 100..599)",
        "HEALTH_CA|/nonexistent/ca.crt|--health-ca /nonexistent/ca.crt does not exist",
    })
    void eachBadValueGivesOneLineNamingTheOption(Setting setting, String value, String expected) {
        Map<Setting, String> f = flags(Setting.HEALTH_URL, API);
        f.put(setting, value);

        assertThat(messageOf(f, NO_ENV)).isEqualTo(expected);
    }

    @Test
    void aCaForAPlainHttpUrlIsRefused() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), TestPem.CERTIFICATE);

        String m = messageOf(flags(Setting.HEALTH_URL, "http://127.0.0.1:8080/", Setting.HEALTH_CA, ca.toString()), NO_ENV);

        assertThat(m).isEqualTo("--health-ca " + ca + " needs an https:// --health-url");
    }

    @ParameterizedTest(name = "{0} loopback: {1}")
    @CsvSource({
        "https://127.0.0.1:6443/readyz, true",
        "https://127.1.2.3:6443/readyz, true",
        "https://localhost:6443/readyz, true",
        "https://[::1]:6443/readyz, true",
        "https://10.0.0.1:6443/readyz, false",
        "https://127.example.com:6443/readyz, false",
        "https://kubernetes.default.svc/readyz, false",
    })
    void onlyLocalhostAndLoopbackLiteralsCountAsLoopback(String url, boolean loopback) {
        HealthCheck.Http http = new HealthCheck.Http(URI.create(url), OptionalInt.empty(), Optional.empty());

        assertThat(http.loopback()).isEqualTo(loopback);
    }
}
