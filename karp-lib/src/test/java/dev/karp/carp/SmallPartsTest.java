package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.testing.Vectors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Checksum, counter, MAC addresses and the one-line format. */
class SmallPartsTest {

    @Test
    void theInternetChecksumMatchesTheRfc1071Example() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2, so the checksum is 0x220d
        byte[] data = Vectors.hex("0001 f203 f4f5 f6f7");
        assertThat(InetChecksum.checksum(data, 0, data.length)).isEqualTo(0x220d);
        assertThat(InetChecksum.finish(InetChecksum.sum(data, 0, data.length, 0x220d))).isZero();
    }

    @Test
    void anOddLengthIsPaddedWithZero() {
        assertThat(InetChecksum.checksum(new byte[] {1, 2, 3}, 0, 3)).isEqualTo(InetChecksum.checksum(new byte[] {1, 2, 3, 0}, 0, 4));
    }

    @Test
    void theCounterStartsAtRandomAndCountsUntilAPeerIsLearned() {
        // given
        CarpCounter counter = new CarpCounter(new SplittableRandom(1));
        SplittableRandom same = new SplittableRandom(1);

        // then: a random start, then one more per advert (UCarp draws a fresh one each time, caps
        // 02, 05; karp counts, so that backups can tell a lost advert from a late one)
        long first = same.nextLong();
        assertThat(counter.next()).isEqualTo(first);
        assertThat(counter.next()).isEqualTo(first + 1);
        assertThat(counter.learned()).isFalse();
    }

    @Test
    void afterLearningTheCounterSendsReceivedPlusOneAndIncrements() {
        // given: cap 02, B's first advert carries A's last + 1
        CarpCounter counter = new CarpCounter(new SplittableRandom(1));

        // when
        counter.learn(5592430262600823432L);

        // then
        assertThat(counter.next()).isEqualTo(5592430262600823433L);
        assertThat(counter.next()).isEqualTo(5592430262600823434L);
        assertThat(counter.learned()).isTrue();
    }

    @Test
    void theCounterFollowsAPeerEvenBackwards() {
        CarpCounter counter = new CarpCounter(new SplittableRandom(1));
        counter.learn(100);
        counter.next();
        counter.learn(7);
        assertThat(counter.next()).isEqualTo(8);
    }

    @Test
    void theCounterWrapsAt2To64() {
        CarpCounter counter = new CarpCounter(new SplittableRandom(1));
        counter.learn(-1L); // 2^64 - 1 unsigned
        assertThat(counter.next()).isZero();
    }

    @Test
    void macAddressesRoundTripThroughText() {
        MacAddress mac = MacAddress.parse("02:00:00:00:00:11");
        assertThat(mac).hasToString("02:00:00:00:00:11");
        assertThat(MacAddress.of(mac.bytes())).isEqualTo(mac);
        assertThat(mac.isMulticast()).isFalse();
        assertThat(Carp.multicastMac(Carp.DEFAULT_GROUP).isMulticast()).isTrue();
        assertThatThrownBy(() -> MacAddress.parse("02:00")).hasMessage("'02:00' is not a MAC address (expected: xx:xx:xx:xx:xx:xx)");
    }

    @Test
    void anAdvertHasOneLine() {
        CarpPacket p = ((Decoded.CarpFrame) CarpCodec.decode(Frames.advert(Vectors.NODE_A))).packet();
        assertThat(AdvertFormat.line(p, DigestStatus.VALID))
                .isEqualTo("10.200.0.11 > 224.0.0.18 vhid=7 advbase=1 advskew=0 counter=5414637562782288764 hmac=valid");
    }

    @Test
    void aDamagedAdvertsLineNamesWhatDiffersFromUcarp() {
        Decoded.CarpFrame f = (Decoded.CarpFrame) CarpCodec.decode(Vectors.frame("90-derived-corrupted-frame4.pcap", 4).buffer());
        assertThat(AdvertFormat.line(f, DigestStatus.UNCHECKED)).isEqualTo("10.200.0.11 > 224.0.0.18 vhid=7 advbase=1"
                + " advskew=99 counter=5414637562782288764 hmac=unchecked ttl=64 sum=bad");
    }

    @Test
    void anUnusualHeaderShowsTheFieldsUcarpWouldNotSend() {
        byte[] f = Frames.fixChecksums(Frames.with(Frames.with(Frames.advert(Vectors.NODE_A), 37, 5), 38, 3));
        Decoded.CarpFrame d = (Decoded.CarpFrame) CarpCodec.decode(f);
        assertThat(AdvertFormat.line(d, DigestStatus.VALID)).endsWith("hmac=valid authlen=5 demote=3 ttl=255 sum=ok");
    }

    @Test
    void dropCountersStartAtZeroForEveryReason() {
        DropCounters c = new DropCounters();
        c.increment(DropReason.BAD_TTL);
        assertThat(c.snapshot()).hasSize(DropReason.values().length).containsEntry(DropReason.BAD_TTL, 1L)
                .containsEntry(DropReason.TOO_SHORT, 0L);
        assertThat(c.toString()).contains("BAD_TTL=1");
    }

    @Test
    void warningsAreTheDropsUcarpLogsAsWarning() {
        assertThat(DropReason.BAD_DIGEST.noteworthy()).isTrue();
        assertThat(DropReason.BAD_TTL.noteworthy()).isTrue();
        assertThat(DropReason.OTHER_VHID.noteworthy()).isFalse();
        assertThat(DropReason.OWN_SOURCE.noteworthy()).isFalse();
    }
}
