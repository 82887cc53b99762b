package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The second family's copy of a dual-stack advert is counted once, even with other adverts in between. */
class DualStackTwinsTest {
    private static final long S = 1_000_000_000L;
    private final DualStackTwins twins = new DualStackTwins();

    @Test
    void theOtherFamilysCopyIsATwinOnce() {
        assertThat(twins.isTwin(7, false, 0, S / 2)).isFalse();
        assertThat(twins.isTwin(7, true, 1_000_000, S / 2)).isTrue();
        // A third copy is a replay or a new advert, not a twin.
        assertThat(twins.isTwin(7, true, 2_000_000, S / 2)).isFalse();
    }

    @Test
    void aCopyStillCountsAfterAnotherNodesAdvertCameBetween() {
        // A bow-out over IPv4, the new master's advert, then the bow-out's IPv6 copy (a chaos round).
        assertThat(twins.isTwin(100, false, 0, 127 * S)).isFalse();
        assertThat(twins.isTwin(101, false, 3_000_000, S / 2)).isFalse();
        assertThat(twins.isTwin(100, true, 12_000_000, 127 * S)).isTrue();
    }

    @Test
    void theSameFamilyOrALateCopyIsNoTwin() {
        assertThat(twins.isTwin(5, false, 0, S / 2)).isFalse();
        assertThat(twins.isTwin(5, false, 1_000, S / 2)).isFalse();
        assertThat(twins.isTwin(9, false, 0, S / 2)).isFalse();
        assertThat(twins.isTwin(9, true, S, S / 2)).isFalse();
    }

    @Test
    void onlyTheLastFewAdvertsAreRemembered() {
        twins.isTwin(1, false, 0, S);
        for (int i = 0; i < DualStackTwins.REMEMBERED; i++) {
            twins.isTwin(1000 + i, false, 1, S);
        }
        assertThat(twins.isTwin(1, true, 2, S)).isFalse();
    }
}
