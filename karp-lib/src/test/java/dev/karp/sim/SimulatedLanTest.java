package dev.karp.sim;

import static dev.karp.sim.NodeSpec.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.karp.election.State;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulator's own behaviour: determinism, faults, and what a host keeps after a crash. */
class SimulatedLanTest {

    private static SimulatedLan lossyLan(long seed) {
        return SimulatedLan.of(node("a"), node("b").advskew(20), node("c").advskew(40).preempt())
                .seed(seed)
                .delay(Duration.ZERO, Duration.ofMillis(80))
                .timerLateness(Duration.ofMillis(10))
                .loss(0.4);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        var first = lossyLan(42);
        var second = lossyLan(42);

        first.start();
        first.advance(Duration.ofSeconds(120));
        second.start();
        second.advance(Duration.ofSeconds(120));

        assertThat(first.trace()).isEqualTo(second.trace()).hasSizeGreaterThan(5);
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        var first = lossyLan(1);
        var second = lossyLan(2);

        first.start();
        first.advance(Duration.ofSeconds(120));
        second.start();
        second.advance(Duration.ofSeconds(120));

        assertThat(first.trace()).isNotEqualTo(second.trace());
    }

    @Test
    void withEveryAdvertLostEveryNodeBecomesMaster() {
        var lan = SimulatedLan.of(node("a"), node("b").advskew(50)).loss(1.0);

        lan.start();
        lan.advance(Duration.ofSeconds(10));

        assertThat(lan.masters()).containsExactly("a", "b");
    }

    @Test
    void aPartitionElectsOneMasterPerSideAndHealingLeavesTheBetterOne() {
        var lan = SimulatedLan.of(node("a"), node("b").advskew(50), node("c").advskew(100));
        lan.start();
        lan.advance(Duration.ofSeconds(5));

        lan.partition(Set.of("a"), Set.of("b", "c"));
        lan.advance(Duration.ofSeconds(10));
        assertThat(lan.connectedGroups()).containsExactly(Set.of("a"), Set.of("b", "c"));
        assertThat(lan.masters()).containsExactly("a", "b");

        lan.heal();
        lan.advance(Duration.ofSeconds(3));

        assertThat(lan.masters()).containsExactly("a");
    }

    @Test
    void aNodeNamedInNoGroupStaysWithTheOthersNamedInNone() {
        var lan = SimulatedLan.of(node("a"), node("b"), node("c"));
        lan.start();

        lan.partition(Set.of("a"));

        assertThat(lan.connectedGroups()).containsExactly(Set.of("a"), Set.of("b", "c"));
    }

    @Test
    void aNeutralRestartAfterACrashKeepsTheStaleVipOnlyUntilItHearsTheMaster() {
        var lan = SimulatedLan.of(node("a").neutral(), node("b").advskew(50));
        lan.start();
        lan.advance(Duration.ofSeconds(5));
        lan.kill("a");
        lan.advance(Duration.ofSeconds(5));

        lan.start("a");

        // --neutral (ucarp-spec §5): UCarp leaves the VIP alone; karp does until a master is heard, then the
        // orphan check removes it (the engine's host invariant 2).
        assertThat(lan.node("a").state()).isEqualTo(State.BACKUP);
        assertThat(lan.node("a").vipsHeld()).containsExactly(SimulatedLan.DEFAULT_VIP);
        lan.advance(Duration.ofSeconds(3));
        assertThat(lan.node("a").vipsHeld()).isEmpty();
        assertThat(lan.node("b").vipsHeld()).containsExactly(SimulatedLan.DEFAULT_VIP);
    }

    @Test
    void aMasterLosingCarrierReleasesTheVipAndRejoinsAsBackup() {
        var lan = SimulatedLan.of(node("a"), node("b").advskew(50));
        lan.start();
        lan.advance(Duration.ofSeconds(5));

        lan.link("a", false);
        lan.advance(Duration.ofSeconds(5));
        assertThat(lan.masters()).containsExactly("b");
        assertThat(lan.node("a").vipsHeld()).isEmpty();
        lan.link("a", true);
        lan.advance(Duration.ofSeconds(10));

        assertThat(lan.masters()).containsExactly("b");
        assertThat(lan.node("a").state()).isEqualTo(State.BACKUP);
    }

    @Test
    void aNodeRestartedWhileUnhealthyStartsDemoted() {
        var lan = SimulatedLan.of(node("a"));
        lan.health("a", false);

        lan.start();
        lan.advance(Duration.ofSeconds(5));

        assertThat(lan.masters()).containsExactly("a");
        assertThat(lan.node("a").advskew()).isEqualTo(240);
    }

    @Test
    void theClockMayStartJustBeforeTheNanosecondCounterWraps() {
        var lan = SimulatedLan.of(node("a"), node("b").advskew(50))
                .clock(new VirtualClock(Long.MAX_VALUE - Duration.ofSeconds(4).toNanos()));
        lan.start();
        lan.advance(Duration.ofSeconds(5));

        lan.kill("a");
        lan.advance(Duration.ofSeconds(5));

        assertThat(lan.masters()).containsExactly("b");
    }

    @Test
    void droppedAdvertsReachNobody() {
        var lan = SimulatedLan.of(node("a"), node("b").advskew(50));
        lan.start();
        lan.advance(Duration.ofMillis(3500));
        int before = lan.node("b").received().size();

        lan.dropNextAdverts("a", 2);
        lan.advance(Duration.ofSeconds(2));

        assertThat(lan.node("b").received()).hasSize(before);
        assertThat(lan.masters()).containsExactly("a");
    }

    @Test
    void theClockIsFixedOnceNodesRun() {
        var lan = SimulatedLan.of(node("a"));
        lan.start();

        assertThatIllegalStateException().isThrownBy(() -> lan.clock(new VirtualClock()));
    }
}
