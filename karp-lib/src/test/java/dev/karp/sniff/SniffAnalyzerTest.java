package dev.karp.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.Carp;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.DigestStatus;
import dev.karp.carp.DropReason;
import dev.karp.carp.VipAddresses;
import dev.karp.sniff.SniffSummary.End;
import dev.karp.sniff.SniffSummary.MasterPeriod;
import dev.karp.testing.Vectors;
import dev.karp.testing.VrrpFrames;
import dev.karp.time.Durations;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SniffAnalyzerTest {
    static final Inet4Address A = Vectors.NODE_A;
    static final Inet4Address B = Vectors.NODE_B;
    static final Inet4Address C = Vectors.NODE_C;

    static SniffReport analyze(String capture, SniffConfig config) {
        return SniffAnalyzer.analyze(config, Vectors.frames(capture));
    }

    static SniffConfig s3cret() {
        return SniffConfig.withPassword(Vectors.password());
    }

    static SniffSummary.Vhid vhid7(SniffReport r) {
        assertThat(r.summary().vhids()).extracting(SniffSummary.Vhid::vhid).containsExactly(7);
        return r.summary().vhids().get(0);
    }

    static List<SniffRecord.Carp> carp(SniffReport r) {
        return r.records().stream().filter(SniffRecord.Carp.class::isInstance).map(SniffRecord.Carp.class::cast).toList();
    }

    @Test
    void capture02ShowsAThenBAsMasterWithTheGapBetween() {
        // when
        SniffReport r = analyze("02-failover-sigkill.pcap", s3cret());

        // then
        SniffSummary.Vhid v = vhid7(r);
        assertThat(v.masters()).extracting(MasterPeriod::source, MasterPeriod::adverts, MasterPeriod::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, 6, End.SILENT),
                        org.assertj.core.groups.Tuple.tuple(B, 2, End.END_OF_CAPTURE));
        assertThat(v.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(A);
            assertThat(t.to()).isEqualTo(B);
            // README: B's first advert comes 4.575 s after A's last one
            assertThat(t.withoutMaster()).isBetween(Duration.ofMillis(4570), Duration.ofMillis(4580));
        });
        assertThat(v.dualMasters()).isEmpty();
        assertThat(v.possibleReplays()).isZero();
    }

    @Test
    void theVipIsTakenFromTheGratuitousArpAndVerifiesEveryAdvert() {
        // when
        SniffReport r = analyze("02-failover-sigkill.pcap", s3cret());

        // then
        assertThat(r.summary().vipCandidates()).containsExactly(Vectors.VIP);
        SniffSummary.Vhid v = vhid7(r);
        assertThat(v.digestCount(DigestStatus.VALID)).isEqualTo(8);
        assertThat(v.verifiedVips()).containsExactly(java.util.Map.entry(Vectors.VIPS, 8));
        assertThat(v.vipOrigin()).contains(SniffRecord.VipOrigin.GRATUITOUS_ARP);
        assertThat(carp(r)).allSatisfy(c -> {
            assertThat(c.digest()).isEqualTo(DigestStatus.VALID);
            assertThat(c.verifiedWith()).contains(Vectors.VIPS);
        });
        assertThat(v.notes()).isEmpty();
    }

    @Test
    void theFrameCountsAddUp() {
        SniffSummary s = analyze("02-failover-sigkill.pcap", s3cret()).summary();

        assertThat(s.frames()).isEqualTo(18);
        assertThat(s.carpAdverts()).isEqualTo(8);
        assertThat(s.arps()).isEqualTo(3);
        assertThat(s.other()).isEqualTo(7);
        assertThat(s.vrrpAdverts()).isZero();
        assertThat(s.start()).isPresent();
        assertThat(s.end()).isPresent();
    }

    @Test
    void withTheWrongPasswordNodeCVerifiesAndNodeADoesNot() {
        // when: capture 05, where C runs with wrongpw
        SniffReport r = analyze("05-wrong-password.pcap", SniffConfig.withPassword(CarpPassword.of("wrongpw")));

        // then
        assertThat(carp(r)).allSatisfy(c -> assertThat(c.digest())
                .isEqualTo(c.source().equals(C) ? DigestStatus.VALID : DigestStatus.INVALID));
        SniffSummary.Vhid v = vhid7(r);
        assertThat(v.notes()).containsExactly("HMAC invalid for 10.200.0.11 (8 adverts): another password or VIP on that node");
    }

    @Test
    void aWrongPasswordNodeMakesTwoMasters() {
        // when
        SniffReport r = analyze("05-wrong-password.pcap", s3cret());

        // then: both advertise until the end (cap 05: dual master, duplicate VIP)
        SniffSummary.Vhid v = vhid7(r);
        assertThat(v.masters()).extracting(MasterPeriod::source, MasterPeriod::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, End.END_OF_CAPTURE),
                        org.assertj.core.groups.Tuple.tuple(C, End.END_OF_CAPTURE));
        assertThat(v.dualMasters()).singleElement().satisfies(d -> {
            assertThat(d.sources()).containsExactlyInAnyOrder(A, C);
            assertThat(d.from()).isEqualTo(v.masters().get(1).from());
        });
        SniffRecord.Carp fromC = carp(r).get(carp(r).size() - 2);
        assertThat(fromC.source()).isEqualTo(C);
        assertThat(fromC.drop()).contains(DropReason.BAD_DIGEST);
        assertThat(fromC.problems()).containsExactly("dropped: bad HMAC; check --pass, --vhid and --addr on both nodes",
                "two masters: 10.200.0.11 also advertising");
    }

    @Test
    void theCorruptedFrameOf90IsShownWithItsProblems() {
        // when
        SniffReport r = analyze("90-derived-corrupted-frame4.pcap", s3cret());

        // then
        SniffRecord.Carp first = carp(r).get(0);
        // then: the daemon's first reason, in its words; the checksums show in the frame's verdicts
        assertThat(first.drop()).contains(DropReason.BAD_TTL);
        assertThat(first.problems()).containsExactly(
                "dropped: bad TTL 64 (expected: 255); CARP nodes must share one link, with no router between them");
        assertThat(first.frame().ipChecksumOk()).isFalse();
        assertThat(first.frame().carpChecksumOk()).isFalse();
        assertThat(first.packet().advskew()).isEqualTo(99);
        assertThat(first.digest()).isEqualTo(DigestStatus.VALID);
        assertThat(carp(r).subList(1, 8)).allSatisfy(c -> assertThat(c.problems()).isEmpty());
    }

    @Test
    void aBowOutEndsItsSendersPeriod() {
        // when: capture 15, the encoder (C) yields with advbase 255 / advskew 255
        SniffReport r = analyze("15-independent-encoder-and-bowout.pcap", s3cret());

        // then
        SniffSummary.Vhid v = vhid7(r);
        assertThat(v.masters()).extracting(MasterPeriod::source, MasterPeriod::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(A, End.YIELDED),
                org.assertj.core.groups.Tuple.tuple(C, End.BOW_OUT),
                org.assertj.core.groups.Tuple.tuple(A, End.END_OF_CAPTURE));
        assertThat(v.transitions()).extracting(SniffSummary.Transition::from, SniffSummary.Transition::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, C), org.assertj.core.groups.Tuple.tuple(C, A));
        assertThat(carp(r).stream().filter(SniffRecord.Carp::bowOut)).hasSize(1);
    }

    @Test
    void aCounterSeenBeforeInAnotherAdvertIsAPossibleReplay() {
        // when: in capture 15 A's last advert before yielding and the encoder's next carry the same counter
        SniffReport r = analyze("15-independent-encoder-and-bowout.pcap", s3cret());

        // then
        assertThat(vhid7(r).possibleReplays()).isEqualTo(1);
        SniffRecord.Carp flagged = carp(r).stream().filter(c -> c.problems().stream().anyMatch(p -> p.startsWith("possible replay")))
                .findFirst().orElseThrow();
        assertThat(flagged.source()).isEqualTo(C);
        assertThat(flagged.packet().counterString()).isEqualTo("7503702306770391788");
        assertThat(flagged.problems()).contains("possible replay: counter already seen at 5.969 s from 10.200.0.11 in a different advert");
    }

    @Test
    void theSameAdvertSeenTwiceIsFlaggedAsRepeated() {
        // given: capture 02 with its first advert captured again a second later
        List<CapturedFrame> frames = new ArrayList<>(Vectors.frames("02-failover-sigkill.pcap"));
        CapturedFrame advert = frames.get(3);
        frames.add(4, new CapturedFrame(advert.time().plusMillis(500), advert.bytes()));

        // when
        SniffReport r = SniffAnalyzer.analyze(s3cret(), frames);

        // then
        assertThat(carp(r).get(1).problems()).containsExactly("repeated: same counter and contents as the advert at 3.001 s");
        assertThat(vhid7(r).possibleReplays()).isZero();
    }

    @Test
    void aMasterThatYieldsAfterOneLastAdvertShowsAShortDualMaster() {
        // when: capture 01, B became master 0.6 s after A and yielded with one last advert
        SniffReport r = analyze("01-startup-failover-sigterm-shutdown.pcap", s3cret());

        // then
        SniffSummary.Vhid v = vhid7(r);
        assertThat(v.masters()).extracting(MasterPeriod::source, MasterPeriod::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(A, End.SILENT),
                org.assertj.core.groups.Tuple.tuple(B, End.YIELDED),
                org.assertj.core.groups.Tuple.tuple(B, End.END_OF_CAPTURE));
        assertThat(v.dualMasters()).singleElement().satisfies(d -> {
            assertThat(d.sources()).containsExactlyInAnyOrder(A, B);
            assertThat(Duration.between(d.from(), d.until())).isBetween(Duration.ofMillis(390), Duration.ofMillis(400));
        });
    }

    @Test
    void theTieBreakCaptureShowsTheLowerAddressYielding() {
        // cap 08: 10.200.1.20 yields to 10.200.2.10 (UCarp compares byte-reversed addresses on x86)
        SniffSummary.Vhid v = vhid7(analyze("08-tiebreak-equal-params.pcap", s3cret()));

        assertThat(v.masters()).extracting(MasterPeriod::source, MasterPeriod::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Carp.ipv4(10, 200, 1, 20), End.YIELDED),
                org.assertj.core.groups.Tuple.tuple(Carp.ipv4(10, 200, 2, 10), End.END_OF_CAPTURE));
    }

    @Test
    void withoutAPasswordEveryDigestIsUnchecked() {
        // when
        SniffReport r = analyze("02-failover-sigkill.pcap", SniffConfig.unchecked());

        // then
        assertThat(carp(r)).allSatisfy(c -> assertThat(c.digest()).isEqualTo(DigestStatus.UNCHECKED));
        assertThat(vhid7(r).notes()).containsExactly("no password given: HMACs unchecked");
    }

    @Test
    void theVipOptionIsUsedInsteadOfGratuitousArps() {
        // when
        SniffReport wrongVip = analyze("02-failover-sigkill.pcap", s3cret().withVips(VipAddresses.of(Carp.ipv4(10, 200, 0, 101))));
        SniffReport rightVip = analyze("02-failover-sigkill.pcap", s3cret().withVips(Vectors.VIPS));

        // then
        assertThat(vhid7(wrongVip).digestCount(DigestStatus.INVALID)).isEqualTo(8);
        assertThat(vhid7(wrongVip).notes()).containsExactly(
                "no HMAC verified with this password and VIP 10.200.0.101 for vhid 7: check the password, the vhid and the VIP");
        assertThat(vhid7(rightVip).vipOrigin()).contains(SniffRecord.VipOrigin.OPTION);
        assertThat(vhid7(rightVip).digestCount(DigestStatus.VALID)).isEqualTo(8);
    }

    @Test
    void withAPasswordButNoVipAnywhereDigestsAreUncheckedAndTheNoteSaysWhy() {
        // given: capture 02 without its gratuitous ARPs
        List<CapturedFrame> frames = Vectors.frames("02-failover-sigkill.pcap").stream()
                .filter(f -> !(f.bytes()[12] == 0x08 && f.bytes()[13] == 0x06)).toList();

        // when
        SniffReport r = SniffAnalyzer.analyze(s3cret(), frames);

        // then
        assertThat(vhid7(r).digestCount(DigestStatus.UNCHECKED)).isEqualTo(8);
        assertThat(vhid7(r).notes()).containsExactly("no VIP to check HMACs with: no gratuitous ARP in the capture; pass --vip");
    }

    @Test
    void theVhidOptionLeavesOtherVhidsOut() {
        SniffReport r = analyze("02-failover-sigkill.pcap", s3cret().withVhid(8));

        assertThat(r.records()).isEmpty();
        assertThat(r.summary().vhids()).isEmpty();
        assertThat(r.summary().other()).isEqualTo(15);
    }

    @Test
    void aVrrpRouterIsShownAsVrrpAndNotedOnTheSameVhid() {
        // given: capture 02 with a VRRPv3 advert for VRID 7 added
        List<CapturedFrame> frames = new ArrayList<>(Vectors.frames("02-failover-sigkill.pcap"));
        frames.add(5, new CapturedFrame(frames.get(4).time().plusMillis(100), VrrpFrames.V3));

        // when
        SniffReport r = SniffAnalyzer.analyze(s3cret(), frames);

        // then
        assertThat(r.summary().vrrpAdverts()).isEqualTo(1);
        assertThat(r.records().get(2)).isInstanceOfSatisfying(SniffRecord.Vrrp.class, v -> {
            assertThat(v.vhid()).isEqualTo(7);
            assertThat(v.packet().priority()).isEqualTo(100);
            assertThat(v.problems()).isEmpty();
        });
        assertThat(r.summary().vrrpRouters()).singleElement().satisfies(router -> {
            assertThat(router.version()).isEqualTo(3);
            assertThat(router.source()).isEqualTo(Carp.ipv4(10, 200, 0, 5));
            assertThat(router.interval()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(vhid7(r).notes()).containsExactly("VRRP router 10.200.0.5 uses VRID 7 too: UCarp drops its adverts as bad"
                + " (checksum, size or version) and logs each one");
        assertThat(vhid7(r).masters()).hasSize(2);
    }

    @Test
    void anEmptyCaptureGivesAnEmptySummary() {
        SniffReport r = SniffAnalyzer.analyze(s3cret(), List.of());

        assertThat(r.records()).isEmpty();
        assertThat(r.summary().frames()).isZero();
        assertThat(r.summary().start()).isEmpty();
    }

    @Test
    void recordsKeepTheirCaptureTimes() {
        SniffReport r = analyze("02-failover-sigkill.pcap", s3cret());
        Instant first = Vectors.frames("02-failover-sigkill.pcap").get(0).time();

        assertThat(carp(r).get(0).time()).isEqualTo(Vectors.frame("02-failover-sigkill.pcap", 4).time());
        assertThat(carp(r).get(0).sinceStart()).isEqualTo(Duration.between(first, carp(r).get(0).time()));
        assertThat(Durations.seconds(carp(r).get(0).sinceStart())).isEqualTo("3.001");
    }

    @Test
    void aLiveAnalysisGivesTheSameRecordsAsAFileSaveTheTwoMasterMarks() {
        for (String capture : Vectors.ALL) {
            // given
            SniffConfig config = s3cret().withVips(Vectors.VIPS);
            SniffReport file = analyze(capture, config);

            // when
            SniffAnalyzer live = SniffAnalyzer.live(config);
            List<SniffRecord> seen = new ArrayList<>();
            Vectors.frames(capture).forEach(f -> live.offer(f).ifPresent(seen::add));
            SniffReport end = live.finish();

            // then
            assertThat(seen.stream().map(SniffAnalyzerTest::withoutTwoMasters).toList()).as(capture)
                    .isEqualTo(file.records().stream().map(SniffAnalyzerTest::withoutTwoMasters).toList());
            assertThat(end.summary()).as(capture).isEqualTo(file.summary());
            assertThat(end.records()).as(capture).isEqualTo(file.records());
        }
    }

    private static String withoutTwoMasters(SniffRecord r) {
        List<String> problems = r.problems().stream().filter(p -> !p.startsWith("two masters")).toList();
        return r.time() + " " + r.source().getHostAddress() + " " + r.vhid() + " "
                + (r instanceof SniffRecord.Carp c ? c.digest() + " " + c.packet().counterString() : "vrrp") + " " + problems;
    }
}
