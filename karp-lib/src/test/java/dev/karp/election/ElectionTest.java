package dev.karp.election;

import static dev.karp.election.Script.A;
import static dev.karp.election.Script.B;
import static dev.karp.election.Script.C;
import static dev.karp.election.Script.advert;
import static dev.karp.election.Script.armAt;
import static dev.karp.election.Script.at;
import static dev.karp.election.Script.health;
import static dev.karp.election.Script.ip;
import static dev.karp.election.Script.link;
import static dev.karp.election.Script.masterSince;
import static dev.karp.election.Script.node;
import static dev.karp.election.Script.shutdown;
import static dev.karp.election.Script.start;
import static dev.karp.election.Script.timer;
import static dev.karp.election.State.BACKUP;
import static dev.karp.election.State.INIT;
import static dev.karp.election.State.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.election.Action.AddVip;
import dev.karp.election.Action.ArmTimer;
import dev.karp.election.Action.CancelTimer;
import dev.karp.election.Action.RemoveVip;
import dev.karp.election.Action.SendAdvert;
import dev.karp.election.Action.SendGratuitousArp;
import dev.karp.election.Action.StateChanged;
import dev.karp.election.Action.Stopped;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Scripted rules: events in, actions out. Times are seconds since the first event. The UCarp rules are pinned with
 * the claim off ({@code new Election(config, 0)}: master-down takes over at once, as UCarp does); the claim that
 * comes before the takeover at advbase ≥ 1 is in {@link Claim}.
 */
class ElectionTest {

    @Nested
    class Startup {

        @Test
        void startEntersBackupRemovesAStaleVipAndArmsMasterDown() {
            var election = new Election(node(A), 0);

            var actions = election.handle(start(0));

            assertThat(actions).containsExactly(
                    new StateChanged(INIT, BACKUP, "start"), new RemoveVip(), armAt(3.0));
            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(election.master()).isNull();
        }

        @Test
        void neutralStartLeavesTheVipAlone() {
            var election = new Election(node(A).withNeutral(true), 0);

            var actions = election.handle(start(0));

            assertThat(actions).containsExactly(new StateChanged(INIT, BACKUP, "start"), armAt(3.0));
        }

        @Test
        void masterDownAfterStartAddsTheOwnAdvskewUnmultiplied() {
            var election = new Election(node(A).withAdvskew(50), 0);

            var actions = election.handle(start(0));

            assertThat(actions).endsWith(armAt(3.195312));
        }

        @Test
        void aSecondStartChangesNothing() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(start(1));

            assertThat(actions).isEmpty();
            assertThat(election.since()).isEqualTo(at(0));
        }

        @Test
        void advertsAndTimersBeforeStartAreIgnored() {
            var election = new Election(node(A), 0);

            var onAdvert = election.handle(advert(0.5, B, 1, 50));
            var onTimer = election.handle(timer(10));

            assertThat(onAdvert).isEmpty();
            assertThat(onTimer).isEmpty();
            assertThat(election.state()).isEqualTo(INIT);
        }

        @Test
        void sinceIsTheTimeOfTheLastStateChange() {
            var election = new Election(node(A), 0);
            election.handle(start(2));

            election.handle(timer(5));

            assertThat(election.since()).isEqualTo(at(5));
        }
    }

    @Nested
    class MasterDownTimer {

        @Test
        void backupTakesOverExactlyAtItsDeadline() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(timer(3.0));

            assertThat(actions).containsExactly(
                    new StateChanged(BACKUP, MASTER, "master down: no advert for 3.000 s"),
                    new AddVip(),
                    new SendGratuitousArp(),
                    new SendAdvert(1, 0),
                    armAt(4.0));
            assertThat(election.master()).isEqualTo(A);
        }

        @Test
        void aTimerOneNanosecondBeforeTheDeadlineOnlyReArms() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(new Event.TimerFired(at(3.0) - 1));

            assertThat(actions).containsExactly(armAt(3.0));
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void everyAcceptedAdvertReArmsMasterDown() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(advert(2.5, B, 1, 50));

            assertThat(actions).containsExactly(armAt(5.5));
            assertThat(election.master()).isEqualTo(B);
        }

        @Test
        void masterAdvertisesOncePerInterval() {
            var election = masterSince(node(A).withAdvskew(50));

            var actions = election.handle(timer(3.195312 + 1.195312));

            assertThat(actions).containsExactly(new SendAdvert(1, 50), armAt(3.195312 + 2 * 1.195312));
        }

        @Test
        void aLateWakeUpKeepsTheAdvertCadence() {
            var election = masterSince(node(A));

            var actions = election.handle(timer(4.2));

            assertThat(actions).containsExactly(new SendAdvert(1, 0), armAt(5.0));
        }

        @Test
        void aWakeUpLaterThanAWholeIntervalSendsOneAdvertNotABurst() {
            var election = masterSince(node(A));

            var actions = election.handle(timer(5.5));

            assertThat(actions).containsExactly(new SendAdvert(1, 0), armAt(6.5));
        }

        @Test
        void deadlinesWorkAcrossTheWrapOfTheNanosecondCounter() {
            long t0 = Long.MAX_VALUE - at(1);
            var election = new Election(node(A), 0);
            election.handle(new Event.Start(t0));

            var early = election.handle(new Event.TimerFired(t0 + at(2)));
            var due = election.handle(new Event.TimerFired(t0 + at(3)));

            assertThat(early).containsExactly(new ArmTimer(t0 + at(3)));
            assertThat(due).contains(new AddVip());
        }
    }

    @Nested
    class BackupReceivingAnAdvert {

        @Test
        void withPreemptABackupTakesOverFromASlowerMasterAtOnce() {
            // vector 03: A (advskew 0, --preempt) hears B (advskew 50)
            var election = new Election(node(A).withPreempt(true), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1.2, B, 1, 50));

            assertThat(actions).containsExactly(
                    new StateChanged(BACKUP, MASTER, "preemption: 10.200.0.12 advertises advbase 1 advskew 50,"
                            + " slower than our advbase 1 advskew 0"),
                    new AddVip(),
                    new SendGratuitousArp(),
                    new SendAdvert(1, 0),
                    armAt(2.2));
        }

        @Test
        void withoutPreemptABackupStaysBackupUnderASlowerMaster() {
            // vector 04: the same without --preempt
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1.2, B, 1, 50));

            assertThat(actions).containsExactly(armAt(4.2));
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void equalIntervalsNeverPreempt() {
            var election = new Election(node(B).withPreempt(true), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1, A, 1, 0));

            assertThat(actions).containsExactly(armAt(4.0));
        }

        @Test
        void equalIntervalsFromAnAddressThatWouldLoseATieStillDoNotPreempt() {
            // the source address plays no role in BACKUP (ucarp-spec §4.5)
            var election = new Election(node(A).withPreempt(true), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1, B, 1, 0));

            assertThat(actions).containsExactly(armAt(4.0));
        }

        @Test
        void aBowOutAdvertMakesABackupTakeOverAfterItsAdvskewEvenWithoutPreempt() {
            // vector 15: 255/255 from the master; like VRRP's Skew_Time, the backups go in advskew order
            var election = new Election(node(A).withAdvskew(100), 0);
            election.handle(start(0));
            election.handle(advert(1, C, 1, 0));

            assertThat(election.handle(advert(2, C, 255, 255))).containsExactly(armAt(2.390625));
            var actions = election.handle(timer(2.390625));

            assertThat(actions).containsExactly(
                    new StateChanged(BACKUP, MASTER, "master bowed out, and no other backup took over within our"
                            + " advskew/256 s (0.391 s)"),
                    new AddVip(),
                    new SendGratuitousArp(),
                    new SendAdvert(1, 100),
                    armAt(2.390625 + 1.390625));
        }

        @Test
        void aBackupWaitingOutItsAdvskewAfterABowOutFollowsTheBackupThatTookOverFirst() {
            var election = new Election(node(A).withAdvskew(100), 0);
            election.handle(start(0));
            election.handle(advert(1, C, 1, 0));
            election.handle(advert(2, C, 255, 255));

            election.handle(advert(2.2, B, 1, 50));
            var actions = election.handle(timer(2.390625));

            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(election.master()).isEqualTo(B);
            assertThat(actions).noneMatch(a -> a instanceof AddVip);
        }

        @Test
        void aBackupAtAdvskewZeroTakesOverWhenTheBowOutArrives() {
            var election = new Election(node(A), 0);
            election.handle(start(0));
            election.handle(advert(1, C, 1, 0));

            var actions = election.handle(advert(2, C, 255, 255));

            assertThat(actions).first().isEqualTo(new StateChanged(BACKUP, MASTER, "master will time out: 10.200.0.13"
                    + " advertises advbase 255 advskew 255, slower than our master-down interval 3.000 s"));
        }

        @Test
        void aMasterSlowerThanOurMasterDownIntervalWillTimeOut() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1, B, 3, 1));

            assertThat(election.state()).isEqualTo(MASTER);
            assertThat(actions).first().isEqualTo(new StateChanged(BACKUP, MASTER,
                    "master will time out: 10.200.0.12 advertises advbase 3 advskew 1,"
                            + " slower than our master-down interval 3.000 s"));
        }

        @Test
        void aMasterExactlyAsSlowAsOurMasterDownIntervalDoesNotTimeOut() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1, B, 3, 0));

            assertThat(actions).containsExactly(armAt(4.0));
        }

        @Test
        void ourOwnAdvertsAreIgnored() {
            var election = new Election(node(A).withPreempt(true).withAdvskew(10), 0);
            election.handle(start(0));

            var actions = election.handle(advert(1, A, 1, 50));

            assertThat(actions).isEmpty();
            assertThat(election.master()).isNull();
        }
    }

    @Nested
    class MasterReceivingAnAdvert {

        @Test
        void aMasterYieldsToAFasterOneWithOneLastAdvert() {
            // vector 01: B (advskew 50) is master and hears A (advskew 0)
            var election = masterSince(node(B).withAdvskew(50));

            var actions = election.handle(advert(4.0, A, 1, 0));

            assertThat(actions).containsExactly(
                    new SendAdvert(1, 50),
                    new StateChanged(MASTER, BACKUP, "preferred master advertised: 10.200.0.11 advertises"
                            + " advbase 1 advskew 0, faster than our advbase 1 advskew 50"),
                    new RemoveVip(),
                    armAt(4.0 + 3.195312));
            assertThat(election.master()).isEqualTo(A);
        }

        @Test
        void aMasterReassertsWithAGarpAgainstASlowerOne() {
            var election = masterSince(node(A));

            var actions = election.handle(advert(3.5, B, 1, 50));

            assertThat(actions).containsExactly(new SendGratuitousArp());
            assertThat(election.state()).isEqualTo(MASTER);
        }

        @Test
        void onEqualIntervals10_200_1_20YieldsTo10_200_2_10AsUcarpDoesOnX86() {
            // vector 08: the address bytes are compared reversed (0x1401c80a > 0x0a02c80a)
            var election = masterSince(node(ip("10.200.1.20")));

            var actions = election.handle(advert(3.5, ip("10.200.2.10"), 1, 0));

            assertThat(actions).containsExactly(
                    new SendAdvert(1, 0),
                    new StateChanged(MASTER, BACKUP, "preferred master advertised: 10.200.2.10 advertises"
                            + " advbase 1 advskew 0, same interval and a lower address in UCarp's (x86) order"),
                    new RemoveVip(),
                    armAt(6.5));
        }

        @Test
        void onEqualIntervals10_200_2_10ReassertsAgainst10_200_1_20() {
            var election = masterSince(node(ip("10.200.2.10")));

            var actions = election.handle(advert(3.5, ip("10.200.1.20"), 1, 0));

            assertThat(actions).containsExactly(new SendGratuitousArp());
        }

        @Test
        void onEqualIntervalsTheLowerLastOctetWins() {
            // vectors 01, 12: .11 beats .12 in both byte orders
            var b = masterSince(node(B));
            var a = masterSince(node(A));

            var bActions = b.handle(advert(3.5, A, 1, 0));
            var aActions = a.handle(advert(3.5, B, 1, 0));

            assertThat(b.state()).isEqualTo(BACKUP);
            assertThat(bActions).first().isEqualTo(new SendAdvert(1, 0));
            assertThat(aActions).containsExactly(new SendGratuitousArp());
        }

        @Test
        void aMasterReceivingABowOutReasserts() {
            var election = masterSince(node(A).withAdvskew(200));

            var actions = election.handle(advert(3.5, B, 255, 255));

            assertThat(actions).containsExactly(new SendGratuitousArp());
        }

        @Test
        void theX86OrderReversesTheAddressBytes() {
            assertThat(Election.x86Order(ip("10.200.1.20"))).isEqualTo(0x1401c80a);
            assertThat(Election.x86Order(ip("10.200.2.10"))).isEqualTo(0x0a02c80a);
            assertThat(Integer.compareUnsigned(Election.x86Order(ip("1.2.3.255")), Election.x86Order(ip("1.2.3.4"))))
                    .isPositive();
        }
    }

    @Nested
    class GratuitousArps {

        @Test
        void aNewMasterSendsTheDelayedGarpRightAfterItsThirdAdvert() {
            var election = masterSince(node(A));

            var second = election.handle(timer(4));
            var third = election.handle(timer(5));
            var fourth = election.handle(timer(6));

            assertThat(second).containsExactly(new SendAdvert(1, 0), armAt(5));
            assertThat(third).containsExactly(new SendAdvert(1, 0), new SendGratuitousArp(), armAt(6));
            assertThat(fourth).containsExactly(new SendAdvert(1, 0), armAt(7));
        }

        @Test
        void aReassertSendsAnotherGarpRightAfterTheSecondFollowingAdvert() {
            var election = masterSince(node(A));
            election.handle(timer(4));
            election.handle(timer(5));
            election.handle(timer(6));

            var reassert = election.handle(advert(6.5, B, 1, 50));
            var first = election.handle(timer(7));
            var second = election.handle(timer(8));
            var third = election.handle(timer(9));

            assertThat(reassert).containsExactly(new SendGratuitousArp());
            assertThat(first).containsExactly(new SendAdvert(1, 0), armAt(8));
            assertThat(second).containsExactly(new SendAdvert(1, 0), new SendGratuitousArp(), armAt(9));
            assertThat(third).containsExactly(new SendAdvert(1, 0), armAt(10));
        }

        @Test
        void nothingIsSentOnBecomingBackup() {
            var election = masterSince(node(B));

            var actions = election.handle(advert(3.5, A, 1, 0));

            assertThat(actions).doesNotContain(new SendGratuitousArp());
        }
    }

    @Nested
    class Stall {

        @Test
        void aStalledMasterRejoinsAsABackupWithMasterDownArmedFromNow() {
            var election = masterSince(node(A));

            var actions = election.handle(new Event.Stalled(at(20), at(16)));

            assertThat(actions).containsExactly(
                    new StateChanged(MASTER, BACKUP,
                            "stalled for 16.000 s, longer than the VIP's lifetime allows: rejoining as a backup"),
                    new RemoveVip(),
                    armAt(20 + 3));
            assertThat(election.master()).isNull();
        }

        @Test
        void afterAStallItFollowsTheNodeThatTookOverInsteadOfReassertingOverIt() {
            // A is preferred (advskew 0); B (advskew 100) took over while A was frozen.
            var election = masterSince(node(A));
            election.handle(new Event.Stalled(at(20), at(16)));

            var actions = election.handle(advert(20.1, B, 1, 100));

            assertThat(actions).doesNotContain(new SendGratuitousArp(), new AddVip());
            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(election.master()).isEqualTo(B);
        }

        @Test
        void aBackupIgnoresAStall() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            assertThat(election.handle(new Event.Stalled(at(1), at(1)))).isEmpty();
            assertThat(election.state()).isEqualTo(BACKUP);
        }
    }

    @Nested
    class Shutdown {

        @Test
        void aMasterReleasesTheVipThenBowsOutThenStops() {
            var election = masterSince(node(A));

            var actions = election.handle(shutdown(3.5));

            // The VIP goes first: a backup takes it over on the bow-out and must not find it still here.
            assertThat(actions).containsExactly(
                    new StateChanged(MASTER, BACKUP, "shutdown: bowed out"),
                    new RemoveVip(),
                    new SendAdvert(255, 255),
                    new CancelTimer(),
                    new Stopped());
            assertThat(election.stopped()).isTrue();
            assertThat(election.master()).isNull();
        }

        @Test
        void aBackupJustStops() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(shutdown(1));

            assertThat(actions).containsExactly(new CancelTimer(), new Stopped());
        }

        @Test
        void aNodeThatNeverStartedJustStops() {
            var election = new Election(node(A), 0);

            var actions = election.handle(shutdown(0));

            assertThat(actions).containsExactly(new Stopped());
        }

        @Test
        void aStoppedElectionIgnoresEverything() {
            var election = new Election(node(A), 0);
            election.handle(start(0));
            election.handle(shutdown(1));

            assertThat(election.handle(timer(3))).isEmpty();
            assertThat(election.handle(advert(3, B, 255, 255))).isEmpty();
            assertThat(election.handle(start(4))).isEmpty();
            assertThat(election.handle(shutdown(5))).isEmpty();
            assertThat(election.state()).isEqualTo(BACKUP);
        }
    }

    @Nested
    class Demotion {

        @Test
        void anUnhealthyMasterBowsOutAndWaitsAsABackupWithAdvskew240() {
            var election = masterSince(node(A));

            var actions = election.handle(health(3.5, false));

            assertThat(actions).containsExactly(
                    new StateChanged(MASTER, BACKUP, "health check failed: bowed out, now advskew 240"),
                    new RemoveVip(),
                    new SendAdvert(255, 255),
                    armAt(3.5 + 3.9375));
            assertThat(election.advskew()).isEqualTo(240);
        }

        @Test
        void aDemotedNodeBecomesMasterAgainWhenNobodyTakesOver() {
            var election = masterSince(node(A));
            election.handle(health(3.5, false));

            var actions = election.handle(timer(3.5 + 3.9375));

            assertThat(election.state()).isEqualTo(MASTER);
            assertThat(actions).contains(new AddVip(), new SendAdvert(1, 240), armAt(3.5 + 3.9375 + 1.9375));
        }

        @Test
        void aDemotedMasterDoesNotBowOutAgain() {
            var election = new Election(node(A), 0);
            election.handle(health(0, false));
            election.handle(start(0));
            election.handle(timer(3.9375));

            var actions = election.handle(timer(3.9375 + 1.9375));

            assertThat(actions).containsExactly(new SendAdvert(1, 240), armAt(3.9375 + 2 * 1.9375));
        }

        @Test
        void anUnhealthyBackupComparesWithAdvskew240() {
            var election = new Election(node(A).withPreempt(true), 0);
            election.handle(start(0));
            election.handle(health(0.5, false));

            var actions = election.handle(advert(1, B, 1, 50));

            assertThat(actions).containsExactly(armAt(1 + 3.9375));
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void aHealthyAgainBackupTakesOverWithPreempt() {
            var election = new Election(node(A).withPreempt(true), 0);
            election.handle(start(0));
            election.handle(health(0.5, false));
            election.handle(health(0.8, true));

            election.handle(advert(1, B, 1, 50));

            assertThat(election.state()).isEqualTo(MASTER);
        }

        @Test
        void aHealthyAgainBackupStaysBackupWithoutPreempt() {
            var election = new Election(node(A), 0);
            election.handle(start(0));
            election.handle(health(0.5, false));
            election.handle(health(0.8, true));

            election.handle(advert(1, B, 1, 50));

            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void demotionMovesTheMasterDownDeadlineOfABackup() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(health(1, false));

            assertThat(actions).containsExactly(armAt(3.9375));
        }

        @Test
        void aBackupHealthyAgainAfterASilenceLongerThanItsMasterDownIntervalTakesOverAtOnce() {
            var election = new Election(node(A), 0);
            election.handle(health(0, false));
            election.handle(start(0));

            var actions = election.handle(health(3.5, true));

            assertThat(actions).containsExactly(
                    new StateChanged(BACKUP, MASTER, "master down: no advert for 3.500 s"),
                    new AddVip(),
                    new SendGratuitousArp(),
                    new SendAdvert(1, 0),
                    armAt(4.5));
        }

        @Test
        void anAdvskewAbove240IsKeptWhenUnhealthy() {
            var election = new Election(node(A).withAdvskew(250), 0);

            election.handle(health(0, false));

            assertThat(election.advskew()).isEqualTo(250);
        }

        @Test
        void anUnchangedHealthReportDoesNothing() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(health(1, true));

            assertThat(actions).isEmpty();
        }

        @Test
        void healthReportedBeforeStartAppliesFromTheStart() {
            var election = new Election(node(A), 0);
            election.handle(health(0, false));

            var actions = election.handle(start(0));

            assertThat(actions).endsWith(armAt(3.9375));
        }
    }

    @Nested
    class Carrier {

        @Test
        void aMasterLosingCarrierBecomesBackupWithoutTimers() {
            var election = masterSince(node(A));

            var actions = election.handle(link(3.5, false));

            assertThat(actions).containsExactly(
                    new StateChanged(MASTER, BACKUP, "link down"), new RemoveVip(), new CancelTimer());
            assertThat(election.master()).isNull();
        }

        @Test
        void withoutCarrierAdvertsAndTimersAreIgnored() {
            var election = new Election(node(A).withPreempt(true), 0);
            election.handle(start(0));
            election.handle(link(1, false));

            var onAdvert = election.handle(advert(2, B, 255, 255));
            var onTimer = election.handle(timer(10));

            assertThat(onAdvert).isEmpty();
            assertThat(onTimer).isEmpty();
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void carrierBackArmsMasterDownAsABackup() {
            var election = masterSince(node(A));
            election.handle(link(3.5, false));

            var actions = election.handle(link(5, true));

            assertThat(actions).containsExactly(armAt(8));
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void startingWithoutCarrierArmsNothingUntilCarrierReturns() {
            var election = new Election(node(A), 0);
            election.handle(link(0, false));

            var onStart = election.handle(start(0));
            var onLinkUp = election.handle(link(2, true));

            assertThat(onStart).containsExactly(new StateChanged(INIT, BACKUP, "start"), new RemoveVip());
            assertThat(onLinkUp).containsExactly(armAt(5));
        }

        @Test
        void shutdownWithoutCarrierStops() {
            var election = new Election(node(A), 0);
            election.handle(start(0));
            election.handle(link(1, false));

            var actions = election.handle(shutdown(2));

            assertThat(actions).containsExactly(new Stopped());
        }
    }

    @Nested
    class SendErrors {

        @Test
        void threeFailedWritesSwitchToAdvskew240WithOneExtraAdvert() {
            // ucarp-spec §4.10
            var election = masterSince(node(A));
            election.handle(new Event.SendFailed(at(3.1)));
            election.handle(new Event.SendFailed(at(3.2)));

            var actions = election.handle(new Event.SendFailed(at(3.3)));

            assertThat(actions).containsExactly(new SendAdvert(1, 240), armAt(3.3 + 1.9375));
            assertThat(election.advskew()).isEqualTo(240);
        }

        @Test
        void threeGoodWritesAfterSuppressionRestoreTheAdvskew() {
            var election = masterSince(node(A));
            for (int i = 0; i < 3; i++) {
                election.handle(new Event.SendFailed(at(3.1)));
            }

            for (int i = 0; i < 3; i++) {
                election.handle(new Event.SendSucceeded(at(3.4)));
            }

            assertThat(election.advskew()).isZero();
        }

        @Test
        void aGoodWriteResetsTheFailureStreak() {
            var election = masterSince(node(A));
            election.handle(new Event.SendFailed(at(3.1)));
            election.handle(new Event.SendFailed(at(3.2)));
            election.handle(new Event.SendSucceeded(at(3.3)));

            var actions = election.handle(new Event.SendFailed(at(3.4)));

            assertThat(actions).isEmpty();
            assertThat(election.advskew()).isZero();
        }
    }

    @Nested
    class SubSecondIntervals {

        @Test
        void atAdvbaseZeroABackupWaitsThreeOfItsIntervals() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(64), 0);

            var actions = election.handle(start(0));

            assertThat(actions).endsWith(armAt(0.75));
        }

        @Test
        void atAdvbaseZeroTheMasterAdvertisesEveryAdvskewOver256Seconds() {
            var election = masterSince(node(A).withAdvbase(0).withAdvskew(64));

            var actions = election.handle(timer(1.0));

            assertThat(actions).containsExactly(new SendAdvert(0, 64), armAt(1.25));
        }

        @Test
        void atAdvbaseZeroAMasterMuchSlowerThanOurMasterDownIntervalWillTimeOut() {
            // our master-down: 3 × 20/256 s = 0.234 s; the master's interval 100/256 s = 0.391 s
            var election = new Election(node(A).withAdvbase(0).withAdvskew(20), 0);
            election.handle(start(0));

            election.handle(advert(0.1, B, 0, 100));

            assertThat(election.state()).isEqualTo(MASTER);
        }

        @Test
        void atAdvbaseZeroASlightlySlowerMasterIsKeptAndFollowedOnItsOwnInterval() {
            // the master's interval 40/256 s = 156.25 ms is the longer one: two of them + 1/16 of one
            var election = new Election(node(A).withAdvbase(0).withAdvskew(20), 0);
            election.handle(start(0));

            var actions = election.handle(advert(0.1, B, 0, 40));

            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(actions).containsExactly(new ArmTimer(at(0.1) + 2 * 156_250_000L + 9_765_625L));
        }

        // The tuned profile: the master B advertises every 13/256 s, this backup A has advskew 14.
        private static final long MASTER_EVERY = 50_781_000L;
        private static final long OWN_EVERY = 54_687_000L;
        /** B counts its adverts (as karp does); the tests below send B's next counter. */
        private long counter = 1000;

        /** A backup that has followed B's punctual adverts since t = 0.1 s; returns the last arrival. */
        private long followPunctually(Election election, int adverts) {
            election.handle(start(0));
            long t = at(0.1);
            for (int i = 0; i < adverts; i++) {
                election.handle(new Event.AdvertReceived(t, B, 0, 13, OptionalLong.of(counter++)));
                t += MASTER_EVERY;
            }
            return t - MASTER_EVERY;
        }

        @Test
        void aBackupThatFollowsAPunctualMasterTakesOverAfterTwoOfItsIntervalsAndASixteenth() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);

            long deadline = last + 2 * OWN_EVERY + OWN_EVERY / 16;
            election.handle(new Event.TimerFired(deadline - 1));
            assertThat(election.state()).isEqualTo(BACKUP);
            var actions = election.handle(new Event.TimerFired(deadline));

            assertThat(election.state()).isEqualTo(MASTER);
            assertThat(actions).contains(new StateChanged(BACKUP, MASTER, "master down: no advert for 0.113 s"));
        }

        @Test
        void oneLostAdvertFromAPunctualMasterMovesNothing() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);

            // the next advert is lost; the one after it comes on time, two intervals later
            election.handle(new Event.TimerFired(last + 2 * MASTER_EVERY));
            var actions = election.handle(new Event.AdvertReceived(last + 2 * MASTER_EVERY, B, 0, 13, OptionalLong.of(counter + 1)));

            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(actions).containsExactly(new ArmTimer(last + 4 * MASTER_EVERY + 2 * (OWN_EVERY - MASTER_EVERY)
                    + OWN_EVERY / 16));
        }

        @Test
        void aLateAdvertWidensTheGuardToTwiceItsLateness() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);
            long late = 20_000_000L;

            var actions = election.handle(new Event.AdvertReceived(last + MASTER_EVERY + late, B, 0, 13, OptionalLong.of(counter)));

            assertThat(actions).containsExactly(new ArmTimer(last + MASTER_EVERY + late + 2 * OWN_EVERY + 2 * late));
        }

        @Test
        void theGuardNeverExceedsOneIntervalSoTheWaitStaysWithinThreeIntervals() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);
            long arrival = last + MASTER_EVERY + 45_000_000L;

            var actions = election.handle(new Event.AdvertReceived(arrival, B, 0, 13, OptionalLong.of(counter)));

            assertThat(actions).containsExactly(new ArmTimer(arrival + 3 * OWN_EVERY));
        }

        @Test
        void theLatenessSeenIsForgottenByHalfEveryMinute() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);
            long t = last + MASTER_EVERY + 20_000_000L;
            election.handle(new Event.AdvertReceived(t, B, 0, 13, OptionalLong.of(counter++)));
            long peakAt = t;
            // punctual adverts (on the master's cadence) for the next minute
            long cadence = last + MASTER_EVERY;
            while (t - peakAt < Timing.LATENESS_HALF_LIFE_NANOS) {
                cadence += MASTER_EVERY;
                t = cadence;
                election.handle(new Event.AdvertReceived(t, B, 0, 13, OptionalLong.of(counter++)));
            }

            long lateness = (long) (20_000_000L * Math.pow(0.5, (t - peakAt) / (double) Timing.LATENESS_HALF_LIFE_NANOS));
            assertThat(lateness).isBetween(9_900_000L, 10_000_000L);
            assertThat(election.masterDownNanos()).isEqualTo(2 * OWN_EVERY + 2 * lateness);
        }

        @Test
        void aNewMasterStartsWithoutTheLatenessOfItsPredecessor() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);
            // B's first advert after a gap of 1.5 intervals is 25 ms late; then C (same interval) takes over
            election.handle(new Event.AdvertReceived(last + MASTER_EVERY + 25_000_000L, B, 0, 13,
                    OptionalLong.of(counter)));
            long c = last + 10 * MASTER_EVERY;

            election.handle(new Event.AdvertReceived(c, C, 0, 13));

            // the lateness seen from B still counts: it describes this network, not B
            assertThat(election.masterDownNanos()).isGreaterThan(2 * OWN_EVERY + OWN_EVERY / 16);
            assertThat(election.master()).isEqualTo(C);
        }

        @Test
        void whileTheBackupIsDemotedItsOwnLongerIntervalSetsTheWait() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(14), 0);
            long last = followPunctually(election, 20);

            election.handle(new Event.HealthChanged(last + 1_000_000L, false));

            long demoted = Timing.advertIntervalNanos(0, Timing.DEMOTED_ADVSKEW);
            assertThat(election.masterDownNanos()).isEqualTo(2 * demoted + demoted / 16);
        }
    }

    @Nested
    class TimerContract {

        @Test
        void noArmTimerIsEmittedWhenTheDeadlineDidNotChange() {
            var election = masterSince(node(A));

            var actions = election.handle(advert(3.5, B, 1, 50));

            assertThat(actions).noneMatch(ArmTimer.class::isInstance);
        }

        @Test
        void afterTimerFiredTheSameDeadlineIsArmedAgain() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(timer(1));

            assertThat(actions).containsExactly(armAt(3));
        }
    }

    /** Issue 14: a daemon awake for another group may send a MASTER's advert a little early, and only that. */
    @Nested
    class EarlyAdverts {
        private Event.TimerFired early(double seconds, double earlySeconds) {
            return new Event.TimerFired(at(seconds), at(earlySeconds));
        }

        @Test
        void aMasterSendsAnAdvertDueWithinTheToleranceAndCountsTheNextFromNow() {
            var election = masterSince(node(A)); // next advert due at 4.0

            var actions = election.handle(early(3.99, 0.02));

            assertThat(actions).containsExactly(new SendAdvert(1, 0), armAt(4.99));
        }

        @Test
        void theToleranceIsAFiftiethOfTheIntervalAtMost20Ms() {
            var election = masterSince(node(A));

            assertThat(election.advertEarlyNanos()).isEqualTo(at(0.02));
            // The daemon may offer more; the election takes 20 ms at most.
            var actions = election.handle(early(3.97, 0.5));

            assertThat(actions).containsExactly(armAt(4.0));
        }

        @Test
        void atAdvbase0AnAdvertGoesAtMostOneMillisecondEarly() {
            var election = masterSince(node(A).withAdvbase(0).withAdvskew(255));
            long interval = Timing.advertIntervalNanos(0, 255);
            long deadline = Timing.masterDownNanos(0, 255, 3) + interval;

            assertThat(election.advertEarlyNanos()).isEqualTo(1_000_000L);
            assertThat(election.handle(new Event.TimerFired(deadline - 2_000_000L, at(0.02))))
                    .noneMatch(SendAdvert.class::isInstance);
            assertThat(election.handle(new Event.TimerFired(deadline - 1_000_000L, at(0.02))))
                    .contains(new SendAdvert(0, 255));
        }

        @Test
        void aBackupsMasterDownNeverFiresEarly() {
            var election = new Election(node(A), 0);
            election.handle(start(0));

            var actions = election.handle(early(2.999, 0.02));

            assertThat(election.advertEarlyNanos()).isZero();
            assertThat(actions).containsExactly(armAt(3));
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void withoutToleranceATimerBeforeTheDeadlineStillDoesNothing() {
            var election = masterSince(node(A));

            assertThat(election.handle(timer(3.999))).containsExactly(armAt(4.0));
        }

        @Test
        void aNegativeToleranceIsRejected() {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Event.TimerFired(0, -1));
        }
    }

    @Nested
    class LateBowOut {

        @Test
        void aBowOutOfANodeItNoLongerFollowsChangesNothing() {
            // Unicast: B bowed out, A took over, and A's advert reached this backup before B's bow-out did.
            var election = new Election(node(C), 0);
            election.handle(start(0));
            election.handle(advert(1, B, 1, 0));
            election.handle(advert(2.0, A, 1, 0));

            var actions = election.handle(advert(2.001, B, 255, 255));

            assertThat(actions).doesNotContain(new AddVip());
            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(election.master()).isEqualTo(A);
        }

        @Test
        void theBowOutOfTheFollowedMasterStillHandsOverAtOnce() {
            var election = new Election(node(C), 0);
            election.handle(start(0));
            election.handle(advert(1, B, 1, 0));

            assertThat(election.handle(advert(1.5, B, 255, 255))).contains(new AddVip());
        }

        @Test
        void aBowOutHeardWhileFollowingNobodyHandsOverAtOnce() {
            var election = new Election(node(C), 0);
            election.handle(start(0));

            assertThat(election.handle(advert(1.5, B, 255, 255))).contains(new AddVip());
        }
    }

    @Nested
    class Claim {

        @Test
        void aBackupWhoseMasterWentSilentAdvertisesFirstAndTakesTheVip50MsLater() {
            var election = new Election(node(A));
            election.handle(start(0));

            var claim = election.handle(timer(3.0));

            assertThat(claim).containsExactly(new SendAdvert(1, 0), armAt(3.05));
            assertThat(election.state()).isEqualTo(BACKUP);
            assertThat(election.master()).isNull();
            var takeover = election.handle(timer(3.05));
            assertThat(takeover).startsWith(new StateChanged(BACKUP, MASTER, "master down: no advert for 3.000 s, and"
                    + " no preferred node answered our claim within 0.050 s"), new AddVip(), new SendGratuitousArp(),
                    new SendAdvert(1, 0));
            assertThat(election.since()).isEqualTo(at(3.05));
        }

        @Test
        void twoBackupsTimingOutTogetherLeaveTheVipToThePreferredOneAlone() {
            // A (10.200.0.11) and B (10.200.0.12) at the same advskew heard the master's last advert together.
            var a = new Election(node(A));
            var b = new Election(node(B));
            a.handle(start(0));
            b.handle(start(0));
            a.handle(timer(3.0));
            b.handle(timer(3.0));

            // Each hears the other's claim: B follows A (the lower address in UCarp's order); A keeps its claim.
            var bHearsA = b.handle(advert(3.0002, A, 1, 0));
            var aHearsB = a.handle(advert(3.0002, B, 1, 0));

            assertThat(bHearsA).containsExactly(armAt(6.0002));
            assertThat(b.master()).isEqualTo(A);
            assertThat(aHearsB).isEmpty();
            assertThat(a.handle(timer(3.05))).contains(new AddVip());
            assertThat(b.handle(timer(3.05))).doesNotContain(new AddVip());
            assertThat(a.state()).isEqualTo(MASTER);
            assertThat(b.state()).isEqualTo(BACKUP);
        }

        @Test
        void aClaimantFollowsAPreferredAdvertAndNeverTakesTheVip() {
            var election = new Election(node(A).withAdvskew(10));
            election.handle(start(0));
            election.handle(timer(3.039062));

            var actions = election.handle(advert(3.04, C, 1, 0));

            assertThat(actions).containsExactly(armAt(6.079062));
            assertThat(election.master()).isEqualTo(C);
            assertThat(election.handle(timer(3.089062))).containsExactly(armAt(6.079062));
            assertThat(election.state()).isEqualTo(BACKUP);
        }

        @Test
        void aLessPreferredMasterHeardDuringTheClaimDoesNotStopIt() {
            // C's adverts were lost for three intervals; it yields to A's claim (ucarp-spec §4.6), A takes over.
            var election = new Election(node(A));
            election.handle(start(0));
            election.handle(timer(3.0));

            assertThat(election.handle(advert(3.01, C, 1, 0))).isEmpty();
            assertThat(election.handle(timer(3.05))).contains(new AddVip());
        }

        @Test
        void aBowOutTakesOverAtOnceWithoutAClaim() {
            var election = new Election(node(A));
            election.handle(start(0));
            election.handle(advert(1, C, 1, 0));

            var actions = election.handle(advert(1.5, C, 255, 255));

            assertThat(actions).contains(new AddVip());
            assertThat(election.state()).isEqualTo(MASTER);
        }

        @Test
        void turningUnhealthyDuringTheClaimWaitsForTheDemotedMasterDownInstead() {
            var election = new Election(node(A));
            election.handle(start(0));
            election.handle(timer(3.0));

            var actions = election.handle(health(3.01, false));

            assertThat(actions).containsExactly(armAt(3.9375));
            assertThat(election.handle(timer(3.05))).doesNotContain(new AddVip());
            assertThat(election.handle(timer(3.9375))).containsExactly(new SendAdvert(1, 240), armAt(3.9875));
        }

        @Test
        void aShutdownDuringTheClaimStopsWithoutABowOut() {
            var election = new Election(node(A));
            election.handle(start(0));
            election.handle(timer(3.0));

            var actions = election.handle(shutdown(3.01));

            assertThat(actions).containsExactly(new CancelTimer(), new Stopped());
        }

        @Test
        void thereIsNoClaimAtAdvbase0() {
            var election = new Election(node(A).withAdvbase(0).withAdvskew(13));
            var started = election.handle(start(0));
            var masterDown = (ArmTimer) started.get(started.size() - 1);

            var actions = election.handle(new Event.TimerFired(masterDown.deadlineNanos()));

            assertThat(actions).contains(new AddVip());
        }
    }

    @Test
    void durationsInReasonsAreSecondsToTheMillisecond() {
        // The digits are Durations.seconds' (DurationsTest); the reasons add the unit.
        assertThat(Election.seconds(112_812_937L)).isEqualTo("0.113 s");
    }
}
