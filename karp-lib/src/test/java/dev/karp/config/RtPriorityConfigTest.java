package dev.karp.config;

import static dev.karp.config.MinimalFlags.flags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --rt-priority}: real-time scheduling of the protocol loop, on by default only at advbase 0. */
class RtPriorityConfigTest {
    private final ConfigLoader loader = new ConfigLoader(FakeHostInterfaces.nodeA());

    @Test
    void withWholeSecondAdvertsTheLoopKeepsNormalPriority() {
        LoadedConfig c = loader.load(flags(), Map.of());

        assertThat(c.config().rtPriority()).isZero();
        assertThat(c.describe()).anyMatch(l -> l.startsWith("rt-priority: off") && l.contains("# default"));
    }

    @Test
    void atAdvbaseZeroTheLoopGetsRealTimePriorityTen() {
        LoadedConfig c = loader.load(flags(Setting.ADVBASE, "0", Setting.ADVSKEW, "13"), Map.of());

        assertThat(c.config().rtPriority()).isEqualTo(KarpConfig.DEFAULT_SUBSECOND_RT_PRIORITY).isEqualTo(10);
    }

    @Test
    void offTurnsItOffAtAdvbaseZero() {
        LoadedConfig c = loader.load(flags(Setting.ADVBASE, "0", Setting.ADVSKEW, "13", Setting.RT_PRIORITY, "off"),
                Map.of());

        assertThat(c.config().rtPriority()).isZero();
    }

    @Test
    void aPriorityCanBeAskedForAtAnyAdvbase() {
        LoadedConfig c = loader.load(flags(Setting.RT_PRIORITY, "50"), Map.of());

        assertThat(c.config().rtPriority()).isEqualTo(50);
        assertThat(c.describe()).anyMatch(l -> l.startsWith("rt-priority: 50") && l.endsWith("# command line"));
    }

    @Test
    void aPriorityOutOfRangeIsNamed() {
        assertThatThrownBy(() -> loader.load(flags(Setting.RT_PRIORITY, "100"), Map.of()))
                .hasMessage("--rt-priority 100 is out of range (expected: 1..99)");
    }
}
