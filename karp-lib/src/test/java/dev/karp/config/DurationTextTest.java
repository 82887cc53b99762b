package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {
    @ParameterizedTest
    @CsvSource({"30, PT30S, 30s", "30s, PT30S, 30s", "1500ms, PT1.5S, 1500ms", "2m, PT2M, 2m", "120s, PT2M, 2m"})
    void durationsParseAndFormatInTheirShortestForm(String text, Duration expected, String formatted) {
        assertThat(DurationText.parse(text)).isEqualTo(expected);
        assertThat(DurationText.format(expected)).isEqualTo(formatted);
    }

    @ParameterizedTest
    @CsvSource({"abc", "1h", "s", "-5s", "1.5s"})
    void otherFormsAreRefused(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).hasMessage("is not a duration (expected e.g. 30s, 500ms or 2m)");
    }
}
