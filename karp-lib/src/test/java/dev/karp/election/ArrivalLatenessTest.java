package dev.karp.election;

import static dev.karp.election.Script.B;
import static dev.karp.election.Script.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ArrivalLatenessTest {

    private static final long EVERY = 50_000_000L;

    @Test
    void punctualAdvertsAreNotLate() {
        var lateness = new ArrivalLateness();

        for (int i = 0; i < 10; i++) {
            lateness.arrived(i * EVERY, B, EVERY, OptionalLong.empty());
        }

        assertThat(lateness.peakNanos(10 * EVERY)).isZero();
    }

    @Test
    void aLateAdvertIsMeasuredFromTheMastersCadence() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.empty());

        lateness.arrived(EVERY + 30_000_000L, B, EVERY, OptionalLong.empty());
        // the master keeps its cadence: the next advert comes early, which is not lateness
        lateness.arrived(2 * EVERY, B, EVERY, OptionalLong.empty());

        assertThat(lateness.peakNanos(2 * EVERY)).isCloseTo(30_000_000L, within(10_000L));
    }

    @Test
    void aLostAdvertIsNotLatenessButALateOneAfterItIs() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.empty());

        lateness.arrived(2 * EVERY, B, EVERY, OptionalLong.empty());
        assertThat(lateness.peakNanos(2 * EVERY)).isZero();
        lateness.arrived(4 * EVERY + 5_000_000L, B, EVERY, OptionalLong.empty());

        assertThat(lateness.peakNanos(4 * EVERY + 5_000_000L)).isEqualTo(5_000_000L);
    }

    @Test
    void theLargestLatenessIsKeptAndHalvesEveryHalfLife() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.empty());
        lateness.arrived(EVERY + 20_000_000L, B, EVERY, OptionalLong.empty());
        lateness.arrived(2 * EVERY + 8_000_000L, B, EVERY, OptionalLong.empty());
        long t = EVERY + 20_000_000L;

        assertThat(lateness.peakNanos(2 * EVERY + 8_000_000L)).isCloseTo(20_000_000L, within(20_000L));
        assertThat(lateness.peakNanos(t + Timing.LATENESS_HALF_LIFE_NANOS)).isCloseTo(10_000_000L, within(1L));
        assertThat(lateness.peakNanos(t + 2 * Timing.LATENESS_HALF_LIFE_NANOS)).isCloseTo(5_000_000L, within(1L));
    }

    @Test
    void aNewSenderOrIntervalStartsANewSeriesWithoutAGapSample() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.empty());

        lateness.arrived(EVERY + 20_000_000L, C, EVERY, OptionalLong.empty());
        lateness.arrived(2 * EVERY + 40_000_000L, C, 2 * EVERY, OptionalLong.empty());
        lateness.restart();
        lateness.arrived(3 * EVERY + 45_000_000L, C, 2 * EVERY, OptionalLong.empty());

        assertThat(lateness.peakNanos(4 * EVERY)).isZero();
    }

    @Test
    void withoutACounterAnAdvertMoreThanThreeQuartersLateReadsAsALossAndIsMissed() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.empty());

        lateness.arrived(EVERY + 45_000_000L, B, EVERY, OptionalLong.empty());

        assertThat(lateness.peakNanos(EVERY + 45_000_000L)).isZero();
    }

    @Test
    void aCountingMasterTellsALateAdvertFromALostOne() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.of(41));

        lateness.arrived(EVERY + 45_000_000L, B, EVERY, OptionalLong.of(42));

        assertThat(lateness.peakNanos(EVERY + 45_000_000L)).isEqualTo(45_000_000L);
    }

    @Test
    void aCountingMastersLostAdvertIsNoLatenessEvenWhenTheNextComesEarly() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.of(-1L));

        // counter wrapped from 2^64-1 over 0 to 1: two intervals; the advert is 5 ms early
        lateness.arrived(2 * EVERY - 5_000_000L, B, EVERY, OptionalLong.of(1L));

        assertThat(lateness.peakNanos(2 * EVERY)).isZero();
    }

    @Test
    void aCounterJumpFallsBackToTheGap() {
        var lateness = new ArrivalLateness();
        lateness.arrived(0, B, EVERY, OptionalLong.of(1000));

        lateness.arrived(EVERY + 10_000_000L, B, EVERY, OptionalLong.of(7));

        assertThat(lateness.peakNanos(EVERY + 10_000_000L)).isEqualTo(10_000_000L);
    }
}
