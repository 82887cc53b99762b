package dev.karp.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"30, PT30S, 30s", "30s, PT30S, 30s", "1500ms, PT1.5S, 1500ms", "2m, PT2M, 2m", "120s, PT2M, 2m"})
    void durationsParseAndFormatInTheirShortestForm(String text, Duration expected, String formatted) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
        assertThat(Durations.format(expected)).isEqualTo(formatted);
    }

    @ParameterizedTest
    @CsvSource({"abc", "1h", "s", "-5s", "1.5s"})
    void otherFormsAreRefused(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessage("is not a duration (expected e.g. 30s, 500ms or 2m)");
    }

    @Test
    void secondsAreToTheMillisecond() {
        assertThat(Durations.seconds(112_812_937L)).isEqualTo("0.113");
        assertThat(Durations.seconds(3_000_000_000L)).isEqualTo("3.000");
        assertThat(Durations.seconds(1_050_400_000L)).isEqualTo("1.050");
        assertThat(Durations.seconds(7_000_000L)).isEqualTo("0.007");
        assertThat(Durations.seconds(255_996_093_000L)).isEqualTo("255.996");
        assertThat(Durations.seconds(-250_000_000L)).isEqualTo("-0.250");
        assertThat(Durations.seconds(Duration.ofMillis(3001))).isEqualTo("3.001");
    }

    @Property
    void secondsReadAsPrintfWouldPrintThem(@ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long micros) {
        // Captures have microsecond timestamps; half-millisecond ties are the only place printf's binary
        // rounding could differ, and a microsecond count never lands exactly between two doubles there.
        long nanos = micros * 1000;
        String printf = String.format(Locale.ROOT, "%.3f", nanos / 1e9);
        if (micros % 1000 != 500) {
            assertThat(Durations.seconds(nanos)).isEqualTo(printf);
        }
    }

    @Test
    void shortSecondsDropTrailingZeros() {
        assertThat(Durations.shortSeconds(Duration.ofSeconds(1))).isEqualTo("1");
        assertThat(Durations.shortSeconds(Duration.ofMillis(100))).isEqualTo("0.1");
        assertThat(Durations.shortSeconds(Duration.ofMillis(1250))).isEqualTo("1.25");
        assertThat(Durations.shortSeconds(Duration.ofSeconds(3600))).isEqualTo("3600");
    }

    @ParameterizedTest
    @CsvSource({"850, 850 ms", "4200, 4.2 s", "1250, 1.3 s", "59960, 60.0 s", "185000, 3m 05s", "7260000, 2h 01m",
        "273600000, 3d 04h", "-5, 0 ms"})
    void agesReadForAPerson(long millis, String text) {
        assertThat(Durations.age(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
