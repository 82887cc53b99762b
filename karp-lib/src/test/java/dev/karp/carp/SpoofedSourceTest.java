package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Adverts claiming our own source address (issue 16): one of ours seen again is routine, anything else a forgery in
 * our name, counted as {@link DropReason#SPOOFED_SOURCE} with the Ethernet source that sent it.
 */
class SpoofedSourceTest {
    final DropCounters counters = new DropCounters();
    /** We are node A. */
    final AdvertFilter nodeA = new AdvertFilter(new AdvertFilter.Config(Vectors.NODE_A, 7, Carp.DEFAULT_GROUP,
            Vectors.VIPS, Frames.S3CRET), counters);
    final OwnAdverts own = new OwnAdverts();

    @Test
    void oneOfOurAdvertsSeenAgainIsOurOwn() {
        // given: the advert we sent (counter 0x4b24..., advbase 1, advskew 0)
        own.sent(0x4b24a82ce5200b7cL, 1, 0);

        // when
        AdvertChain.Verdict v = nodeA.check(ByteBuffer.wrap(Frames.advert(Vectors.NODE_A)), own);

        // then
        assertThat(((AdvertChain.Verdict.Dropped) v).reason()).isEqualTo(DropReason.OWN_SOURCE);
        assertThat(counters.get(DropReason.OWN_SOURCE)).isEqualTo(1);
        assertThat(counters.get(DropReason.SPOOFED_SOURCE)).isZero();
    }

    @Test
    void anAdvertInOurNameThatWeDidNotSendIsSpoofedAndNamesTheSendersMac() {
        // given: we sent the same counter with another advskew; the forger changed the advskew (not in the HMAC)
        own.sent(0x4b24a82ce5200b7cL, 1, 100);
        byte[] forged = Frames.advert(Vectors.NODE_A);
        MacAddress.parse("02:00:00:00:00:77").write(forged, 6);

        // when
        AdvertChain.Verdict v = nodeA.check(ByteBuffer.wrap(forged), own);

        // then
        AdvertChain.Verdict.Dropped d = (AdvertChain.Verdict.Dropped) v;
        assertThat(d.reason()).isEqualTo(DropReason.SPOOFED_SOURCE);
        assertThat(d.reason().noteworthy()).isTrue();
        assertThat(d.message()).isEqualTo("vhid 7: dropped advert from 10.200.0.11: the source is our own --srcip"
                + " but the frame is none of our adverts (Ethernet source 02:00:00:00:00:77): another host sends"
                + " adverts in our name");
        assertThat(counters.get(DropReason.SPOOFED_SOURCE)).isEqualTo(1);
        assertThat(counters.get(DropReason.OWN_SOURCE)).isZero();
    }

    @Test
    void withoutOurAdvertsToCompareEverythingFromOurSourceIsOurOwnAsBefore() {
        assertThat(((AdvertChain.Verdict.Dropped) nodeA.check(ByteBuffer.wrap(Frames.advert(Vectors.NODE_A))))
                .reason()).isEqualTo(DropReason.OWN_SOURCE);
    }

    @Test
    void ownAdvertsRemembersTheLastFewAndIgnoresFramesWithoutACarpHeader() {
        for (int i = 0; i < OwnAdverts.KEPT + 1; i++) {
            own.sent(i, 0, 13);
        }
        byte[] f = Frames.advert(Vectors.NODE_A);
        assertThat(own.test(ByteBuffer.wrap(Frames.truncate(f, 50)))).isFalse();
        assertThat(own.test(ByteBuffer.wrap(withCounter(f, OwnAdverts.KEPT, 0, 13)))).isTrue();
        assertThat(own.test(ByteBuffer.wrap(withCounter(f, 0, 0, 13)))).as("the oldest, forgotten").isFalse();
        assertThat(own.test(ByteBuffer.wrap(withCounter(f, OwnAdverts.KEPT, 0, 14)))).as("another advskew").isFalse();
    }

    private static byte[] withCounter(byte[] frame, long counter, int advbase, int advskew) {
        byte[] f = frame.clone();
        ByteBuffer.wrap(f).putLong(34 + Carp.OFF_COUNTER, counter);
        f[34 + Carp.OFF_ADVBASE] = (byte) advbase;
        f[34 + Carp.OFF_ADVSKEW] = (byte) advskew;
        return f;
    }
}
