package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.AddressClaim;
import dev.karp.carp.Carp;
import dev.karp.carp.MacAddress;
import java.net.Inet4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who answers for the VIP: conflicts seen by a master, a phantom master seen by a backup. */
class VipWatchTest {
    static final Inet4Address VIP = Carp.ipv4(10, 200, 0, 100);
    static final Inet4Address MASTER = Carp.ipv4(10, 200, 0, 11);
    static final Inet4Address BACKUP = Carp.ipv4(10, 200, 0, 12);
    static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:12");
    static final MacAddress MASTER_MAC = MacAddress.parse("02:00:00:00:00:11");
    static final MacAddress STRANGER = MacAddress.parse("02:00:00:00:00:77");
    static final long S = 1_000_000_000L;

    final VipWatch watch = new VipWatch(List.of(VIP), OURS, 2 * S);

    static AddressClaim garp(MacAddress mac) {
        return new AddressClaim(VIP, mac, false, VIP);
    }

    static AddressClaim reply(Inet4Address address, MacAddress mac) {
        return new AddressClaim(address, mac, true, BACKUP);
    }

    @Test
    void aMasterSeeingAnotherMacClaimTheVipHasAConflict() {
        assertThat(watch.claim(garp(STRANGER), true, 5 * S)).contains(new VipWatch.Conflict(VIP, STRANGER));
        assertThat(watch.claim(reply(VIP, STRANGER), true, 6 * S)).isPresent();

        assertThat(watch.conflicts()).isEqualTo(2);
        assertThat(watch.recentConflict(7 * S)).contains(new VipWatch.Conflict(VIP, STRANGER));
        assertThat(watch.recentConflict(6 * S + VipWatch.SHOWN_NANOS)).isEmpty();
    }

    @Test
    void ownClaimsOtherAddressesAndClaimsSeenAsBackupAreNoConflict() {
        assertThat(watch.claim(garp(OURS), true, S)).isEmpty();
        assertThat(watch.claim(reply(MASTER, STRANGER), true, S)).isEmpty();
        assertThat(watch.claim(garp(MASTER_MAC), false, S)).isEmpty();
        assertThat(watch.conflicts()).isZero();
    }

    @Test
    void aBackupAsksForTheVipAndItsMasterEveryProbeInterval() {
        assertThat(watch.backup(MASTER, 0)).containsExactly(VIP, MASTER);
        assertThat(watch.backup(MASTER, S)).isEmpty();
        assertThat(watch.backup(MASTER, 2 * S)).containsExactly(VIP, MASTER);
        assertThat(watch.backup(null, 3 * S)).as("not following anyone").isEmpty();
    }

    @Test
    void aMasterThatAnswersForTheVipIsNoPhantom() {
        for (int round = 0; round < 5; round++) {
            watch.backup(MASTER, round * 2 * S);
            watch.claim(reply(VIP, MASTER_MAC), false, round * 2 * S + 1000);
            watch.claim(reply(MASTER, MASTER_MAC), false, round * 2 * S + 2000);
        }
        watch.backup(MASTER, 10 * S);

        assertThat(watch.phantom()).isEmpty();
    }

    @Test
    void aMasterNobodyAnswersForIsAPhantomAfterThreeRoundsAndAnAnswerClearsIt() {
        for (int round = 0; round <= VipWatch.MISSED_ROUNDS; round++) {
            assertThat(watch.phantom()).isEmpty();
            watch.backup(MASTER, round * 2 * S);
        }

        assertThat(watch.phantom()).hasValueSatisfying(p -> assertThat(p).isEqualTo("following 10.200.0.11, a master"
                + " that does not hold the VIP: no host answers ARP for 10.200.0.100"));

        watch.claim(reply(VIP, MASTER_MAC), false, 8 * S + 1);
        watch.backup(MASTER, 10 * S);
        assertThat(watch.phantom()).isEmpty();
    }

    @Test
    void theVipAnsweredByAnotherMacThanTheMastersIsAPhantom() {
        for (int round = 0; round <= VipWatch.MISSED_ROUNDS; round++) {
            watch.backup(MASTER, round * 2 * S);
            watch.claim(reply(VIP, STRANGER), false, round * 2 * S + 1000);
            watch.claim(reply(MASTER, MASTER_MAC), false, round * 2 * S + 2000);
        }

        assertThat(watch.phantom()).hasValueSatisfying(p -> assertThat(p).endsWith("10.200.0.100 is answered by"
                + " 02:00:00:00:00:77 but the master 10.200.0.11 by 02:00:00:00:00:11"));
    }

    @Test
    void anotherMasterStartsTheCountAgain() {
        for (int round = 0; round < VipWatch.MISSED_ROUNDS; round++) {
            watch.backup(MASTER, round * 2 * S);
        }
        watch.backup(Carp.ipv4(10, 200, 0, 13), 6 * S);

        assertThat(watch.phantom()).isEmpty();
    }
}
