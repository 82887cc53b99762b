package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.testing.Vectors;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** --auth strict and migrate (docs/protocol.md, "Strict authentication"): wire format, cross-mode, forgeries. */
class StrictAuthTest {
    static final int CARP = 34;
    static final long COUNTER = 0x4b24a82ce5200b7cL;
    static final HexFormat HEX = HexFormat.of();

    final DropCounters counters = new DropCounters();
    final AtomicLong wall = new AtomicLong(COUNTER);

    /** Node B's filter in this mode; adverts come from node A. */
    AdvertFilter filter(AuthMode mode) {
        return new AdvertFilter(new AdvertFilter.Config(Set.of(Vectors.NODE_B), 7, Set.of(Carp.DEFAULT_GROUP),
                Vectors.VIPS, Frames.S3CRET, mode), counters,
                new ReplayWindow(Duration.ofSeconds(1), Duration.ofSeconds(60), wall::get));
    }

    static byte[] advert(AuthMode mode, int advskew, long counter) {
        return advert(mode, Vectors.NODE_A, advskew, counter);
    }

    static byte[] advert(AuthMode mode, Inet4Address source, int advskew, long counter) {
        return CarpCodec.encode(Frames.sender(source).withAuth(mode), new Advert(7, 1, advskew, counter), 0xaa48);
    }

    static AdvertChain.Verdict check(AdvertFilter f, byte[] frame) {
        return f.check(ByteBuffer.wrap(frame));
    }

    static DropReason reason(AdvertChain.Verdict v) {
        assertThat(v).isInstanceOf(AdvertChain.Verdict.Dropped.class);
        return ((AdvertChain.Verdict.Dropped) v).reason();
    }

    static boolean acceptedStrict(AdvertChain.Verdict v) {
        assertThat(v).isInstanceOf(AdvertChain.Verdict.Accepted.class);
        return ((AdvertChain.Verdict.Accepted) v).strict();
    }

    /** The attack of issue 16: a captured advert with advskew 0 written in, checksums fixed. No password needed. */
    static byte[] withAdvskew(byte[] frame, int advskew) {
        return Frames.fixChecksums(Frames.with(frame, CARP + Carp.OFF_ADVSKEW, advskew));
    }

    // ---- wire format ---------------------------------------------------------------------------

    @Test
    void theStrictMessageIsLabelHeaderCounterSourceAndVips() {
        byte[] m = CarpHmac.strictMessage(HEX.parseHex("210700070001"), COUNTER, Vectors.NODE_A, Vectors.VIPS);

        // "karp-strict-1", 21 07 00 07 00 01, counter, 04 10.200.0.11, 10.200.0.100 (checked with Python's hmac)
        assertThat(HEX.formatHex(m)).isEqualTo("6b6172702d7374726963742d31" + "210700070001" + "4b24a82ce5200b7c"
                + "04" + "0ac8000b" + "0ac80064");
    }

    @Test
    void aStrictAdvertCarriesTheGoldenStrictDigestInTheHmacField() {
        byte[] frame = advert(AuthMode.STRICT, 0, COUNTER);

        assertThat(frame).hasSize(Carp.FRAME_LEN);
        // Python: k = hmac(b"s3cret", b"karp strict CARP key 1", sha1); hmac(k, message above, sha1)
        assertThat(HEX.formatHex(frame, CARP + Carp.OFF_DIGEST, CARP + 36)).isEqualTo("d661d69f2a87dcde95eee08f026b364b9f9d684b");
        Decoded.CarpFrame d = (Decoded.CarpFrame) CarpCodec.decode(frame);
        assertThat(d.checksumsOk()).isTrue();
        assertThat(d.packet().authlen()).isEqualTo(7);
        assertThat(d.ipTotalLength()).isEqualTo(56);
    }

    @Test
    void aMigrateAdvertIsUcarpsAdvertWithTheStrictDigestAppended() {
        byte[] ucarp = advert(AuthMode.UCARP, 0, COUNTER);
        byte[] migrate = advert(AuthMode.MIGRATE, 0, COUNTER);

        assertThat(migrate).hasSize(Carp.FRAME_LEN + 20);
        // UCarp's digest, as captured (cap 02 frame 4), in the header; the strict one after it.
        assertThat(HEX.formatHex(migrate, CARP + Carp.OFF_DIGEST, CARP + 36)).isEqualTo("4add92ae7801b6457c27660e6433c9236a57bbdd");
        assertThat(HEX.formatHex(migrate, CARP + 36, CARP + 56)).isEqualTo("d661d69f2a87dcde95eee08f026b364b9f9d684b");
        // Only the IP length (and so the IP checksum) differs in the first 70 bytes.
        assertThat(((Decoded.CarpFrame) CarpCodec.decode(migrate)).ipTotalLength()).isEqualTo(76);
        for (int i = 0; i < Carp.FRAME_LEN; i++) {
            if (i < 16 || i > 17 && i < 24 || i > 25) {
                assertThat(migrate[i]).as("byte %d", i).isEqualTo(ucarp[i]);
            }
        }
    }

    // ---- who accepts what ------------------------------------------------------------------------

    @Test
    void eachModeAcceptsWhatTheMigrationNeedsAndNothingElse() {
        byte[] ucarp = advert(AuthMode.UCARP, 0, COUNTER);
        byte[] migrate = advert(AuthMode.MIGRATE, 0, COUNTER + 1);
        byte[] strict = advert(AuthMode.STRICT, 0, COUNTER + 2);

        // ucarp: UCarp's and migrate's; a strict advert has no UCarp digest.
        assertThat(acceptedStrict(check(filter(AuthMode.UCARP), ucarp))).isFalse();
        assertThat(acceptedStrict(check(filter(AuthMode.UCARP), migrate))).isFalse();
        assertThat(reason(check(filter(AuthMode.UCARP), strict))).isEqualTo(DropReason.BAD_DIGEST);
        // migrate: all three.
        AdvertFilter m = filter(AuthMode.MIGRATE);
        assertThat(acceptedStrict(check(m, ucarp))).isFalse();
        assertThat(acceptedStrict(check(m, migrate))).isTrue();
        assertThat(acceptedStrict(check(m, strict))).isTrue();
        // strict: migrate's and strict's, never UCarp's.
        AdvertFilter s = filter(AuthMode.STRICT);
        assertThat(reason(check(s, ucarp))).isEqualTo(DropReason.FORGED);
        assertThat(acceptedStrict(check(s, migrate))).isTrue();
        assertThat(acceptedStrict(check(s, strict))).isTrue();
    }

    @Test
    void aUcarpAdvertToAStrictNodeIsForgedAndTheMessageNamesTheMigration() {
        AdvertChain.Verdict v = check(filter(AuthMode.STRICT), advert(AuthMode.UCARP, 0, COUNTER));

        assertThat(((AdvertChain.Verdict.Dropped) v).message()).isEqualTo("vhid 7: dropped advert from 10.200.0.11:"
                + " forged: no valid strict HMAC (it is a valid --auth ucarp advert: its sender runs --auth ucarp;"
                + " move every node to --auth migrate before any to --auth strict, docs/operations.md)");
        assertThat(counters.get(DropReason.FORGED)).isEqualTo(1);
    }

    @Test
    void theStrictDigestInAUcarpHeaderDoesNotVerifyAsUcarpsNorTheReverse() {
        byte[] strict = advert(AuthMode.STRICT, 0, COUNTER);
        byte[] ucarp = advert(AuthMode.UCARP, 0, COUNTER);
        byte[] strictDigest = java.util.Arrays.copyOfRange(strict, CARP + 16, CARP + 36);
        byte[] ucarpDigest = java.util.Arrays.copyOfRange(ucarp, CARP + 16, CARP + 36);

        assertThat(Frames.S3CRET.verify(7, Vectors.VIPS, COUNTER, strictDigest)).isFalse();
        assertThat(Frames.S3CRET.verifyStrict(ByteBuffer.wrap(ucarp), CARP, 14 + 12, 4, Vectors.VIPS, CARP + 16)).isFalse();
        assertThat(strictDigest).isNotEqualTo(ucarpDigest);
    }

    // ---- forgeries ---------------------------------------------------------------------------------

    @Test
    void aCapturedUcarpAdvertWithAdvskewZeroWrittenInPassesUcarpModeButNotStrictMode() {
        byte[] forged = withAdvskew(advert(AuthMode.UCARP, 100, COUNTER), 0);

        assertThat(acceptedStrict(check(filter(AuthMode.UCARP), forged))).isFalse(); // the hole (ucarp-spec §7.4)
        assertThat(reason(check(filter(AuthMode.STRICT), forged))).isEqualTo(DropReason.FORGED);
    }

    @Test
    void aStrictAdvertWithAnyHeaderFieldChangedIsForged() {
        byte[] real = advert(AuthMode.STRICT, 100, COUNTER);
        AdvertFilter s = filter(AuthMode.STRICT);

        assertThat(reason(check(s, withAdvskew(real, 0)))).isEqualTo(DropReason.FORGED);
        assertThat(reason(check(s, Frames.fixChecksums(Frames.with(real, CARP + Carp.OFF_ADVBASE, 0))))).isEqualTo(DropReason.FORGED);
        assertThat(reason(check(s, Frames.fixChecksums(Frames.with(real, CARP + Carp.OFF_ADVBASE, 255))))).isEqualTo(DropReason.FORGED);
        assertThat(reason(check(s, Frames.fixChecksums(Frames.with(real, CARP + Carp.OFF_DEMOTE, 1))))).isEqualTo(DropReason.FORGED);
        // A made-up source (10.200.0.99): the source is covered too.
        assertThat(reason(check(s, Frames.fixChecksums(Frames.with(real, 14 + 15, 99))))).isEqualTo(DropReason.FORGED);
        assertThat(reason(check(s, Frames.fixChecksums(Frames.with(real, CARP + Carp.OFF_COUNTER + 7, 0))))).isEqualTo(DropReason.FORGED);
        assertThat(counters.get(DropReason.FORGED)).isEqualTo(6);
    }

    @Test
    void anAlteredMigrateAdvertIsForgedForMigrateAndStrictNodesThoughUcarpNodesTakeIt() {
        byte[] forged = withAdvskew(advert(AuthMode.MIGRATE, 100, COUNTER), 0);

        assertThat(acceptedStrict(check(filter(AuthMode.UCARP), forged))).isFalse();
        assertThat(reason(check(filter(AuthMode.MIGRATE), forged))).isEqualTo(DropReason.FORGED);
        assertThat(reason(check(filter(AuthMode.STRICT), forged))).isEqualTo(DropReason.FORGED);
    }

    @Test
    void aMigrateAdvertStrippedOfItsStrictDigestIsAUcarpAdvertWhichOnlyStrictNodesRefuse() {
        byte[] stripped = java.util.Arrays.copyOf(advert(AuthMode.MIGRATE, 100, COUNTER), Carp.FRAME_LEN);
        stripped[14 + 3] = 56; // IP total length back to UCarp's
        byte[] forged = withAdvskew(stripped, 0);

        // migrate is only as strong as UCarp: it must accept UCarp nodes' adverts (docs/protocol.md).
        assertThat(acceptedStrict(check(filter(AuthMode.MIGRATE), forged))).isFalse();
        assertThat(reason(check(filter(AuthMode.STRICT), forged))).isEqualTo(DropReason.FORGED);
    }

    // ---- replays -----------------------------------------------------------------------------------

    @Test
    void theSameStrictAdvertTwiceIsAReplayWithItsCounterInTheMessage() {
        AdvertFilter s = filter(AuthMode.STRICT);
        byte[] frame = advert(AuthMode.STRICT, 0, COUNTER);

        assertThat(acceptedStrict(check(s, frame))).isTrue();
        AdvertChain.Verdict again = check(s, frame);

        assertThat(reason(again)).isEqualTo(DropReason.REPLAYED);
        assertThat(((AdvertChain.Verdict.Dropped) again).message()).isEqualTo("vhid 7: dropped advert from 10.200.0.11:"
                + " replayed: counter " + Long.toUnsignedString(COUNTER) + " is not above the last one accepted from"
                + " this source, " + Long.toUnsignedString(COUNTER) + ", nor a new one inside its window (a replay of"
                + " a captured advert)");
        assertThat(counters.get(DropReason.REPLAYED)).isEqualTo(1);
    }

    @Test
    void aCapturedBetterAdvertReplayedAfterTheMasterMovedOnIsRejected() {
        AdvertFilter s = filter(AuthMode.STRICT);
        byte[] old = advert(AuthMode.STRICT, 0, COUNTER);
        check(s, old);
        long second = 1_000_000_000L;
        for (int i = 1; i <= 5; i++) {
            assertThat(acceptedStrict(check(s, advert(AuthMode.STRICT, 0, COUNTER + i * second)))).isTrue();
        }

        assertThat(reason(check(s, old))).isEqualTo(DropReason.REPLAYED);
    }

    @Test
    void anAdvertLateByLessThanTheWindowIsAcceptedOnceButOlderOnesAreNot() {
        AdvertFilter s = filter(AuthMode.STRICT);
        long ms = 1_000_000L;
        check(s, advert(AuthMode.STRICT, 0, COUNTER));
        check(s, advert(AuthMode.STRICT, 0, COUNTER + 600 * ms));
        byte[] late = advert(AuthMode.STRICT, 0, COUNTER + 300 * ms);

        // Reordered inside the 1 s window: accepted, once.
        assertThat(acceptedStrict(check(s, late))).isTrue();
        assertThat(reason(check(s, late))).isEqualTo(DropReason.REPLAYED);
        // Never seen, but more than the window below the highest: refused.
        check(s, advert(AuthMode.STRICT, 0, COUNTER + 2000 * ms));
        assertThat(reason(check(s, advert(AuthMode.STRICT, 0, COUNTER + 900 * ms)))).isEqualTo(DropReason.REPLAYED);
    }

    @Test
    void aRestartedSenderCountingFromItsWallClockIsAcceptedAtOnceAndItsOldAdvertsStayRejected() {
        AdvertFilter s = filter(AuthMode.STRICT);
        long second = 1_000_000_000L;
        AtomicLong senderWall = new AtomicLong(COUNTER);
        CarpCounter before = CarpCounter.strict(senderWall::get);
        byte[] oldAdvert = null;
        for (int i = 0; i < 3; i++) {
            oldAdvert = advert(AuthMode.STRICT, 0, before.next());
            assertThat(acceptedStrict(check(s, oldAdvert))).isTrue();
            senderWall.addAndGet(second);
        }

        // Restarted 2 s later: a new counter, from the wall clock, above every old one.
        senderWall.addAndGet(2 * second);
        wall.set(senderWall.get());
        CarpCounter after = CarpCounter.strict(senderWall::get);
        assertThat(acceptedStrict(check(s, advert(AuthMode.STRICT, 0, after.next())))).isTrue();
        assertThat(reason(check(s, oldAdvert))).isEqualTo(DropReason.REPLAYED);
    }

    @Test
    void aFirstAdvertFarBehindTheClockIsAReplayWhichTheMessageSays() {
        wall.set(COUNTER + Duration.ofMinutes(10).toNanos());

        AdvertChain.Verdict v = check(filter(AuthMode.STRICT), advert(AuthMode.STRICT, 0, COUNTER));

        assertThat(reason(v)).isEqualTo(DropReason.REPLAYED);
        assertThat(((AdvertChain.Verdict.Dropped) v).detail()).contains("too far behind this node's clock")
                .contains("check NTP");
    }

    @Test
    void migrateNodesCheckReplaysOfStrictDigestsButNotOfUcarpOnes() {
        AdvertFilter m = filter(AuthMode.MIGRATE);
        byte[] migrate = advert(AuthMode.MIGRATE, 0, COUNTER);
        byte[] ucarp = advert(AuthMode.UCARP, 0, COUNTER);

        check(m, migrate);
        assertThat(reason(check(m, migrate))).isEqualTo(DropReason.REPLAYED);
        // UCarp nodes have no replay protection to offer: their adverts are taken as UCarp takes them.
        assertThat(acceptedStrict(check(m, ucarp))).isFalse();
        assertThat(acceptedStrict(check(m, ucarp))).isFalse();
    }

    @Test
    void aUcarpFilterNeverLooksAtCounters() {
        AdvertFilter u = filter(AuthMode.UCARP);
        byte[] frame = advert(AuthMode.UCARP, 0, COUNTER);

        assertThat(acceptedStrict(check(u, frame))).isFalse();
        assertThat(acceptedStrict(check(u, frame))).isFalse();
        assertThat(counters.total()).isZero();
    }

    // ---- strict counters ---------------------------------------------------------------------------

    @Test
    void strictCountersFollowTheWallClockAndNeverGoBack() {
        AtomicLong clock = new AtomicLong(1_000);
        CarpCounter c = CarpCounter.strict(clock::get);

        assertThat(c.next()).isEqualTo(1_000);
        assertThat(c.next()).isEqualTo(1_001); // the clock stood still
        clock.set(5_000);
        assertThat(c.next()).isEqualTo(5_000);
        clock.set(10); // stepped back
        assertThat(c.next()).isEqualTo(5_001);
    }

    @Test
    void strictCountersJumpAbovePeersHeardSoARestartWithAClockBehindStillCountsAboveItsOldAdverts() {
        AtomicLong clock = new AtomicLong(1_000);
        CarpCounter c = CarpCounter.strict(clock::get);

        c.learn(9_000);
        c.learn(8_000); // never backwards
        assertThat(c.next()).isEqualTo(9_001);
        clock.set(20_000);
        assertThat(c.next()).isEqualTo(20_000);
    }

    @Test
    void theReplayWindowKeepsTheLastAcceptedCountersPerSource() {
        ReplayWindow w = new ReplayWindow(Duration.ofNanos(1_000), Duration.ofNanos(100), () -> 0);

        assertThat(w.accept(Vectors.NODE_A, 500)).isTrue();
        assertThat(w.accept(Vectors.NODE_B, 500)).isTrue(); // another source, its own sequence
        // 17 more: 500 is forgotten, 520..550 are kept below the highest, 552.
        for (long c = 520; c <= 520 + 2 * ReplayWindow.KEPT; c += 2) {
            assertThat(w.accept(Vectors.NODE_A, c)).isTrue();
        }
        assertThat(w.accept(Vectors.NODE_A, 501)).isFalse(); // inside the window, below the oldest kept: may have been seen
        assertThat(w.accept(Vectors.NODE_A, 549)).isTrue(); // among the kept ones, new
        assertThat(w.accept(Vectors.NODE_A, 549)).isFalse();
        assertThat(w.accept(Vectors.NODE_A, 530)).isFalse();
        assertThat(w.highest(Vectors.NODE_A)).isEqualTo(552);
    }
}
