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
    void followingAMasterAtAdvbaseZeroTwoIntervalsAndASixteenthAreEnoughWhenAdvertsArrivePunctually() {
        // the master every 50.781 ms, this backup every 54.687 ms: the longer interval counts
        long masterDown = Timing.subsecondMasterDownNanos(50_781_000L, 54_687_000L, 3, 0);

        assertThat(masterDown).isEqualTo(2 * 54_687_000L + 54_687_000L / 16);
    }

    @Test
    void theGuardIsTwiceTheLatenessSeenBoundedByOneInterval() {
        long interval = 50_000_000L;

        assertThat(Timing.subsecondMasterDownNanos(interval, interval, 3, 1_000_000L))
                .as("small lateness: the minimum guard").isEqualTo(2 * interval + interval / 16);
        assertThat(Timing.subsecondMasterDownNanos(interval, interval, 3, 10_000_000L))
                .isEqualTo(2 * interval + 20_000_000L);
        assertThat(Timing.subsecondMasterDownNanos(interval, interval, 3, 40_000_000L))
                .as("never more than the three intervals of the unfollowed rule")
                .isEqualTo(3 * interval)
                .isEqualTo(Timing.masterDownNanos(0, 64, 3) / 250 * 50);
    }

    @Test
    void aLargerDeadratioAddsWholeIntervalsToTheSubsecondRule() {
        assertThat(Timing.subsecondMasterDownNanos(50_000_000L, 40_000_000L, 5, 0))
                .isEqualTo(4 * 50_000_000L + 50_000_000L / 16);
        assertThat(Timing.subsecondMasterDownNanos(50_000_000L, 40_000_000L, 1, 0))
                .as("deadratio below 3 counts as 3").isEqualTo(2 * 50_000_000L + 50_000_000L / 16);
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
