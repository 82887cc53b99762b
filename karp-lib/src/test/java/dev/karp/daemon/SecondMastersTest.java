package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Carp;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two masters heard at once, by the rule of sniff's split-brain warning. */
class SecondMastersTest {
    static final InetAddress A = Carp.ipv4(10, 200, 0, 11);
    static final InetAddress B = Carp.ipv4(10, 200, 0, 13);
    static final long S = 1_000_000_000L;

    final SecondMasters watch = new SecondMasters();

    Optional<String> advert(InetAddress src, long at) {
        return watch.advert(src, at, S, false, null);
    }

    @Test
    void twoSourcesAdvertisingSideBySideAreTwoMasters() {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < 4 && found.isEmpty(); i++) {
            advert(A, i * S);
            found = advert(B, i * S + S / 2);
        }

        assertThat(found).contains("10.200.0.11 and 10.200.0.13 both advertise as master (split brain); they do not"
                + " hear each other's adverts or reject them");
        assertThat(watch.episodes()).isEqualTo(1);
        assertThat(watch.current(4 * S)).isPresent();
        assertThat(watch.current(20 * S)).as("evidence gone stale").isEmpty();
    }

    @Test
    void aCleanPreemptionIsNotTwoMasters() {
        // A advertises, B preempts: A sends one more advert and yields.
        for (int i = 0; i < 5; i++) {
            advert(A, i * S);
        }
        advert(B, 5 * S);
        advert(A, 5 * S + S / 4);
        for (int i = 6; i < 10; i++) {
            assertThat(advert(B, i * S)).isEmpty();
        }
        assertThat(watch.episodes()).isZero();
    }

    @Test
    void aBowOutEndsAMastersRun() {
        advert(A, 0);
        advert(B, S / 2);
        advert(A, S);
        watch.advert(A, S + 1, S, true, null);
        for (int i = 2; i < 6; i++) {
            assertThat(advert(B, i * S)).isEmpty();
        }
    }

    @Test
    void anotherSourceThatKeepsAdvertisingWhileThisNodeIsMasterIsASecondMaster() {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < 3; i++) {
            found = watch.advert(B, 10 * S + i * S, S, false, 9 * S);
        }

        assertThat(found).hasValueSatisfying(f -> assertThat(f).startsWith("this node and 10.200.0.13 both advertise"));
        assertThat(watch.episodes()).isEqualTo(1);
    }

    @Test
    void aWorseNodeThatYieldsAtOnceIsNoSecondMaster() {
        watch.advert(B, 10 * S, S, false, 9 * S);
        watch.advert(B, 11 * S, S, false, 9 * S);
        assertThat(watch.episodes()).isZero();
    }
}
