package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.carp.AuthMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auth, KARP_AUTH and the file's auth key. */
class AuthConfigTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(new FakeHostInterfaces()
            .with("eth0", "10.200.0.11/24").defaultRoute("eth0"));

    private static Map<Setting, String> flags(String... pairs) {
        Map<Setting, String> m = new LinkedHashMap<>();
        m.put(Setting.PASS, "s3cret");
        m.put(Setting.VIP, "10.200.0.100");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(Setting.byLongName(pairs[i]).orElseThrow(), pairs[i + 1]);
        }
        return m;
    }

    @Test
    void theDefaultIsUcarpCompatible() {
        LoadedConfig c = loader.load(flags(), NO_ENV);

        assertThat(c.config().auth()).isEqualTo(AuthMode.UCARP);
    }

    @Test
    void eachModeIsTakenFromTheFlagInAnyCase() {
        assertThat(loader.load(flags("auth", "strict"), NO_ENV).config().auth()).isEqualTo(AuthMode.STRICT);
        assertThat(loader.load(flags("auth", "Migrate"), NO_ENV).config().auth()).isEqualTo(AuthMode.MIGRATE);
        assertThat(loader.load(flags("auth", "ucarp"), NO_ENV).config().auth()).isEqualTo(AuthMode.UCARP);
    }

    @Test
    void theEnvironmentAndTheFileSetItTooAndTheFlagWins() throws IOException {
        Path yaml = dir.resolve("karp.yaml");
        Files.writeString(yaml, "auth: migrate\n", StandardCharsets.UTF_8);

        assertThat(loader.load(flags(), Map.of(ConfigLoader.KARP_AUTH, "strict")).config().auth()).isEqualTo(AuthMode.STRICT);
        assertThat(loader.load(flags("config", yaml.toString()), NO_ENV).config().auth()).isEqualTo(AuthMode.MIGRATE);
        assertThat(loader.load(flags("config", yaml.toString(), "auth", "strict"), NO_ENV).config().auth())
                .isEqualTo(AuthMode.STRICT);
    }

    @Test
    void anUnknownModeNamesTheChoicesAndTheMigration() {
        assertThatThrownBy(() -> loader.load(flags("auth", "hmac"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--auth hmac is not an authentication mode (expected: ucarp, migrate or strict;"
                        + " ucarp talks to UCarp, migrate moves a running group to strict without two masters, see"
                        + " docs/operations.md)");
    }

    @Test
    void anUnknownModeFromTheEnvironmentSaysWhereItCameFrom() {
        assertThatThrownBy(() -> loader.load(flags(), Map.of(ConfigLoader.KARP_AUTH, "sha256")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KARP_AUTH");
    }

    @Test
    void theEffectiveConfigurationShowsTheMode() {
        assertThat(String.join("\n", loader.load(flags("auth", "strict"), NO_ENV).describe()))
                .containsPattern("auth: strict +# ");
    }
}
