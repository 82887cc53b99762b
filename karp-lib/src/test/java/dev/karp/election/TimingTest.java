package dev.karp.election;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void advertIntervalIsAdvbasePlusAdvskewOver256TruncatedToMicroseconds() {
        // given advbase 1 and advskew 50: 1 s + floor(50·10^6/256) µs = 1.195312 s (ucarp-spec §1.3)

        long interval = Timing.advertIntervalNanos(1, 50);

        assertThat(interval).isEqualTo(1_195_312_000L);
    }

    @Test
    void masterDownMultipliesAdvbaseButNotAdvskewByTheDeadratio() {
        // given advbase 1, advskew 50, deadratio 3 (ucarp-spec §4.2 step 7)

        long masterDown = Timing.masterDownNanos(1, 50, 3);

        assertThat(masterDown).isEqualTo(3_195_312_000L);
    }

    @Test
    void masterDownAtAdvbaseZeroIsThreeIntervalsWhateverTheLowerDeadratio() {
        // given advbase 0 and advskew 64: an interval of 0.25 s

        long withDeadratio1 = Timing.masterDownNanos(0, 64, 1);
        long withDeadratio3 = Timing.masterDownNanos(0, 64, 3);

        assertThat(withDeadratio1).isEqualTo(750_000_000L);
        assertThat(withDeadratio3).isEqualTo(750_000_000L);
    }

    @Test
    void masterDownAtAdvbaseZeroUsesALargerDeadratioAsGiven() {
        long masterDown = Timing.masterDownNanos(0, 64, 5);

        assertThat(masterDown).isEqualTo(1_250_000_000L);
    }

    @Test
    void masterDownAtAdvbaseZeroKeepsBackupsOrderedByAdvskew() {
        long faster = Timing.masterDownNanos(0, 20, 3);
        long slower = Timing.masterDownNanos(0, 21, 3);

        assertThat(faster).isLessThan(slower);
    }

    @Test
    void comparingIntervalsIsComparingAdvbaseTimes256PlusAdvskew() {
        assertThat(Timing.compareTv(1, 255, 2, 0)).isNegative();
        assertThat(Timing.compareTv(1, 50, 1, 50)).isZero();
        assertThat(Timing.compareTv(255, 255, 1, 0)).isPositive();
    }

    @Test
    void theBowOutIntervalIsTheLongestThereIs() {
        long bowOut = Timing.advertIntervalNanos(Timing.BOW_OUT_ADVBASE, Timing.BOW_OUT_ADVSKEW);

        assertThat(bowOut).isEqualTo(255_996_093_000L);
    }
}
