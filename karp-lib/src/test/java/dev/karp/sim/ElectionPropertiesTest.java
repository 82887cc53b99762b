package dev.karp.sim;

import static dev.karp.sim.NodeSpec.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.election.State;
import dev.karp.election.Timing;
import dev.karp.sim.SimulatedLan.Transition;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of the election on generated clusters and fault schedules. Besides these, the
 * {@link SimulatedLan} checks after every step that each node's VIP and adverts agree with its
 * state. Every assertion message carries the schedule (with its seed) and the end of the trace;
 * jqwik also prints its own seed to replay the whole property.
 */
class ElectionPropertiesTest {

    private static final String VIP = SimulatedLan.DEFAULT_VIP;

    // ---- once faults stop, one master per group, and it stays -------------------------------------

    @Property(tries = 1000)
    void onceFaultsStopEachConnectedGroupSettlesOnOneMasterWithinTwoMasterDownIntervalsAndKeepsIt(
            @ForAll("schedules") FaultSchedule schedule) {
        SimulatedLan lan = schedule.play();
        long settle = 2 * maxMasterDownNanos(lan);

        lan.advance(Duration.ofNanos(settle));

        for (Set<String> group : lan.connectedGroups()) {
            List<String> masters = group.stream().filter(name -> lan.node(name).state() == State.MASTER).toList();
            assertThat(masters).as("masters in %s; %s%n%s", group, schedule, lan.describe()).hasSize(1);
            assertThat(lan.node(masters.get(0)).vipsHeld()).as("%s%n%s", schedule, lan.describe()).containsExactly(VIP);
        }
        List<String> settledMasters = lan.masters();
        long settledAt = lan.now();
        lan.advance(Duration.ofNanos(settle));
        assertThat(lan.masters()).as("%s%n%s", schedule, lan.describe()).isEqualTo(settledMasters);
        assertThat(transitionsAfter(lan, settledAt)).as("%s%n%s", schedule, lan.describe()).isEmpty();
    }

    @Provide
    Arbitrary<FaultSchedule> schedules() {
        return FaultSchedule.arbitrary();
    }

    /**
     * Jitter is no fault when the configuration leaves a margin: with one advbase and deadratio
     * ≥ 3, a backup waits at least (deadratio − 1)·advbase − 255/256 s longer than the master's
     * interval, far more than 100 ms of delay jitter plus 20 ms of timer lateness.
     */
    @Property(tries = 200)
    void withOneAdvbaseAndDeadratioAtLeast3DelayJitterAndLateTimersNeverMoveASettledMaster(
            @ForAll("skews") List<Integer> skews,
            @ForAll("preemptFlags") List<Boolean> preempt,
            @ForAll("startTimes") List<Integer> startMillis,
            @ForAll @IntRange(min = 1, max = 2) int advbase,
            @ForAll @IntRange(min = 3, max = 4) int deadratio,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advbase(advbase).advskew(skews.get(i)).deadratio(deadratio).preempt(preempt.get(i)));
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed)
                .delay(Duration.ZERO, Duration.ofMillis(100))
                .timerLateness(Duration.ofMillis(20));
        startAt(lan, startMillis);
        lan.advance(Duration.ofSeconds(20));
        List<String> settled = lan.masters();
        long settledAt = lan.now();

        lan.advance(Duration.ofSeconds(60));

        assertThat(settled).as(lan.describe()).hasSize(1);
        assertThat(lan.masters()).as(lan.describe()).isEqualTo(settled);
        assertThat(transitionsAfter(lan, settledAt)).as(lan.describe()).isEmpty();
    }

    // ---- preemption, no preemption, tie-break ------------------------------------------------------

    @Property(tries = 200)
    void withPreemptEverywhereTheNodeWithTheShortestIntervalEndsUpMaster(
            @ForAll("distinctSkews") List<Integer> skews,
            @ForAll("startTimes") List<Integer> startMillis,
            @ForAll @IntRange(max = 50) int delayMaxMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advskew(skews.get(i)).preempt());
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ZERO, Duration.ofMillis(delayMaxMillis));

        startAt(lan, startMillis);
        lan.advance(Duration.ofSeconds(20));

        int best = skews.indexOf(skews.stream().min(Integer::compare).orElseThrow());
        assertThat(lan.masters()).as("skews %s, starts %s; %s", skews, startMillis, lan.describe())
                .containsExactly("n" + best);
    }

    @Property(tries = 200)
    void withoutPreemptNodesJoiningLaterNeverTakeOverAndEqualIntervalsNeverPreempt(
            @ForAll @IntRange(min = 1, max = 254) int masterSkew,
            @ForAll("newcomers") List<Newcomer> newcomers,
            @ForAll @IntRange(max = 50) int delayMaxMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        specs.add(node("first").advskew(masterSkew));
        for (int i = 0; i < newcomers.size(); i++) {
            Newcomer newcomer = newcomers.get(i);
            // Either a strictly better interval without --preempt, or the same one with --preempt.
            specs.add(newcomer.sameInterval()
                    ? node("n" + i).advskew(masterSkew).preempt()
                    : node("n" + i).advskew(newcomer.skewBelow() % masterSkew));
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ZERO, Duration.ofMillis(delayMaxMillis));
        lan.start("first");
        lan.advance(Duration.ofSeconds(5));

        for (int i = 0; i < newcomers.size(); i++) {
            lan.advance(Duration.ofMillis(newcomers.get(i).delayMillis()));
            lan.start("n" + i);
        }
        lan.advance(Duration.ofSeconds(30));

        assertThat(lan.masters()).as("%s; %s", specs, lan.describe()).containsExactly("first");
        assertThat(lan.transitions()).as(lan.describe())
                .noneMatch(t -> !t.node().equals("first") && t.to() == State.MASTER);
    }

    /**
     * The address decides only between masters (ucarp-spec §4.6): here every node starts alone, so
     * each becomes master, and then they meet. (Started together on one segment, the first to time
     * out usually wins, since the others hear it before their own deadline.)
     */
    @Property(tries = 200)
    void whenMastersWithEqualIntervalsMeetTheLowestAddressInUcarpsX86OrderStays(
            @ForAll("addresses") List<Integer> hostParts,
            @ForAll @IntRange(max = 254) int skew,
            @ForAll @IntRange(max = 50) int delayMaxMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < hostParts.size(); i++) {
            specs.add(node("n" + i).advskew(skew).address(address(hostParts.get(i))));
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ZERO, Duration.ofMillis(delayMaxMillis));

        lan.partition(lan.nodes().stream().map(node -> Set.of(node.name())).toList());
        lan.start();
        lan.advance(Duration.ofSeconds(5));
        assertThat(lan.masters()).hasSize(hostParts.size());

        lan.heal();
        lan.advance(Duration.ofSeconds(10));

        String winner = lan.nodes().stream()
                .min(Comparator.comparing(node -> Integer.toUnsignedLong(x86Order(node.address()))))
                .orElseThrow().name();
        assertThat(lan.masters()).as("%s; %s", specs, lan.describe()).containsExactly(winner);
    }

    // ---- demotion ----------------------------------------------------------------------------------

    record HealthFlip(int atMillis, int node, boolean healthy) {
    }

    @Property(tries = 200)
    void withPreemptEverywhereTheBestHealthyNodeEndsUpMasterAfterHealthFlips(
            @ForAll("distinctSkews") List<Integer> skews,
            @ForAll("healthFlips") List<HealthFlip> flips,
            @ForAll @IntRange(max = 50) int delayMaxMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advskew(skews.get(i)).preempt());
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ZERO, Duration.ofMillis(delayMaxMillis));
        lan.start();
        long t0 = lan.now();

        for (HealthFlip flip : flips.stream().sorted(Comparator.comparingInt(HealthFlip::atMillis)).toList()) {
            lan.runUntil(t0 + Duration.ofMillis(flip.atMillis()).toNanos());
            lan.health("n" + flip.node() % skews.size(), flip.healthy());
        }
        lan.advance(Duration.ofSeconds(10));

        var healthy = lan.nodes().stream().filter(SimNode::healthy).toList();
        assertThat(lan.masters()).as("%s; %s", flips, lan.describe()).hasSize(1);
        if (!healthy.isEmpty()) {
            String best = healthy.stream().min(Comparator.comparingInt(node -> node.spec().advskew()))
                    .orElseThrow().name();
            assertThat(lan.masters()).as("%s; %s", flips, lan.describe()).containsExactly(best);
        }
    }

    @Provide
    Arbitrary<List<HealthFlip>> healthFlips() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 20_000),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(false, true))
                .as(HealthFlip::new)
                .list().ofMaxSize(8);
    }

    // ---- bow-out -------------------------------------------------------------------------------------

    @Property(tries = 300)
    void aBowOutMakesABackupMasterWhenTheBowOutArrivesNotAfterATimeout(
            @ForAll("distinctSkews") List<Integer> skews,
            @ForAll("preemptFlags") List<Boolean> preempt,
            @ForAll boolean byHealthCheck,
            @ForAll @IntRange(max = 50) int delayMaxMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advskew(skews.get(i)).preempt(preempt.get(i)));
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ZERO, Duration.ofMillis(delayMaxMillis));
        lan.start();
        lan.advance(Duration.ofSeconds(15));
        assertThat(lan.masters()).as(lan.describe()).hasSize(1);
        String leaving = lan.masters().get(0);
        long bowOutAt = lan.now();

        if (byHealthCheck) {
            lan.health(leaving, false);
        } else {
            lan.shutdown(leaving);
        }
        lan.advance(Duration.ofMillis(delayMaxMillis + 1000));

        Transition takeover = lan.transitions().stream()
                .filter(t -> t.atNanos() - bowOutAt >= 0 && t.to() == State.MASTER && !t.node().equals(leaving))
                .findFirst().orElseThrow(() -> new AssertionError("no takeover; " + lan.describe()));
        long arrival = lan.node(takeover.node()).received().stream()
                .filter(r -> r.from().equals(leaving) && r.advbase() == 255 && r.advskew() == 255)
                .mapToLong(SimNode.Received::atNanos).findFirst()
                .orElseThrow(() -> new AssertionError("bow-out never arrived; " + lan.describe()));
        // The first backup takes over its advskew/256 s after the bow-out arrives (at once at advskew 0).
        int takerSkew = skews.get(Integer.parseInt(takeover.node().substring(1)));
        assertThat(takeover.atNanos()).as(lan.describe()).isEqualTo(arrival + Timing.tvNanos(0, takerSkew));
        assertThat(takeover.reason()).as(lan.describe()).matches("(master will time out: |master bowed out).*");

        lan.advance(Duration.ofSeconds(10));
        assertThat(lan.masters()).as(lan.describe()).hasSize(1);
    }

    // ---- advbase 0 ----------------------------------------------------------------------------------

    @Property(tries = 200)
    void atAdvbaseZeroASingleLostAdvertCausesNoTransition(
            @ForAll("subSecondSkews") List<Integer> skews,
            @ForAll @IntRange(min = 1, max = 3) int deadratio,
            @ForAll @IntRange(max = 1000) int dropAfterMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advbase(0).advskew(skews.get(i)).deadratio(deadratio).preempt());
        }
        // Delay jitter up to a quarter and timer lateness up to an eighth of the shortest interval.
        long shortest = Timing.advertIntervalNanos(0, skews.stream().min(Integer::compare).orElseThrow());
        var lan = SimulatedLan.of(specs, VIP).seed(seed)
                .delay(Duration.ZERO, Duration.ofNanos(shortest / 4))
                .timerLateness(Duration.ofNanos(shortest / 8));
        lan.start();
        lan.advance(Duration.ofSeconds(5));
        assertThat(lan.masters()).as(lan.describe()).hasSize(1);
        long settledAt = lan.now();
        lan.advance(Duration.ofMillis(dropAfterMillis));

        lan.dropNextAdverts(lan.masters().get(0), 1);
        lan.advance(Duration.ofSeconds(5));

        assertThat(transitionsAfter(lan, settledAt)).as(lan.describe()).isEmpty();
    }

    /**
     * The tuned profile's promise: on a quiet LAN a crashed master is replaced after two of the next
     * backup's intervals and a sixteenth (about 2.1 intervals of silence), by that backup alone.
     */
    @Property(tries = 200)
    void atAdvbaseZeroOnAQuietLanTheNextBackupAloneTakesOverAfterTwoIntervalsAndAGuard(
            @ForAll("subSecondSkews") List<Integer> skews,
            @ForAll @IntRange(max = 1000) int crashAfterMillis,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advbase(0).advskew(skews.get(i)).preempt());
        }
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ofMillis(0), Duration.ofMillis(1));
        lan.start();
        lan.advance(Duration.ofSeconds(5));
        String master = lan.masters().get(0);
        lan.advance(Duration.ofMillis(crashAfterMillis));

        lan.kill(master);
        long killedAt = lan.now();
        lan.advance(Duration.ofSeconds(2));

        int next = skews.stream().filter(skew -> !("n" + skews.indexOf(skew)).equals(master))
                .min(Integer::compare).orElseThrow();
        String expected = "n" + skews.indexOf(next);
        long own = Timing.advertIntervalNanos(0, next);
        List<Transition> after = transitionsAfter(lan, killedAt);
        assertThat(after).as(lan.describe()).hasSize(1);
        assertThat(after.get(0).node()).as(lan.describe()).isEqualTo(expected);
        // the last advert left the master at or before the kill, and took up to 1 ms
        assertThat(after.get(0).atNanos() - killedAt).as(lan.describe())
                .isLessThanOrEqualTo(2 * own + own / 16 + Duration.ofMillis(1).toNanos());
        assertThat(after.get(0).reason()).as(lan.describe()).startsWith("master down: no advert for");
    }

    /**
     * Late adverts widen the guard: after the master was once late by a third of an interval, a
     * lost advert followed by an advert as late again moves nothing.
     */
    @Property(tries = 200)
    void atAdvbaseZeroABackupThatSawLateAdvertsToleratesALostOneFollowedByALateOne(
            @ForAll("subSecondSkews") List<Integer> skews,
            @ForAll long seed) {
        var specs = new ArrayList<NodeSpec>();
        for (int i = 0; i < skews.size(); i++) {
            specs.add(node("n" + i).advbase(0).advskew(skews.get(i)).preempt());
        }
        long shortest = Timing.advertIntervalNanos(0, skews.stream().min(Integer::compare).orElseThrow());
        var lan = SimulatedLan.of(specs, VIP).seed(seed).delay(Duration.ZERO, Duration.ofNanos(shortest / 3));
        lan.start();
        lan.advance(Duration.ofSeconds(5));
        assertThat(lan.masters()).as(lan.describe()).hasSize(1);
        long settledAt = lan.now();

        lan.dropNextAdverts(lan.masters().get(0), 1);
        lan.advance(Duration.ofSeconds(5));

        assertThat(transitionsAfter(lan, settledAt)).as(lan.describe()).isEmpty();
    }

    // ---- generators and helpers ---------------------------------------------------------------------


    record Newcomer(boolean sameInterval, int skewBelow, int delayMillis) {
    }

    @Provide
    Arbitrary<List<Newcomer>> newcomers() {
        return Combinators.combine(
                        Arbitraries.of(false, false, true),
                        Arbitraries.integers().between(0, 254),
                        Arbitraries.integers().between(0, 3000))
                .as(Newcomer::new)
                .list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Integer>> distinctSkews() {
        return Arbitraries.integers().between(0, 239).list().ofMinSize(2).ofMaxSize(4).uniqueElements();
    }

    @Provide
    Arbitrary<List<Integer>> skews() {
        return Arbitraries.integers().between(0, 255).list().ofMinSize(2).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Boolean>> preemptFlags() {
        return Arbitraries.of(false, true).list().ofSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> startTimes() {
        return Arbitraries.integers().between(0, 6000).list().ofSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> addresses() {
        return Arbitraries.integers().between(0x0001, 0xfffe).list().ofMinSize(2).ofMaxSize(5).uniqueElements();
    }

    @Provide
    Arbitrary<List<Integer>> subSecondSkews() {
        return Arbitraries.integers().between(16, 128).list().ofMinSize(2).ofMaxSize(3).uniqueElements();
    }

    private static void startAt(SimulatedLan lan, List<Integer> startMillis) {
        var order = new ArrayList<SimNode>(lan.nodes());
        order.sort(Comparator.comparingInt(node -> startMillis.get(node.index)));
        long t0 = lan.now();
        for (SimNode node : order) {
            lan.runUntil(t0 + Duration.ofMillis(startMillis.get(node.index)).toNanos());
            lan.start(node.name());
        }
    }

    /** The longest master-down interval of a running node, with the advskew it uses now. */
    private static long maxMasterDownNanos(SimulatedLan lan) {
        return lan.nodes().stream()
                .filter(SimNode::alive)
                .mapToLong(node -> Timing.masterDownNanos(node.spec().advbase(), node.advskew(),
                        node.spec().deadratio()))
                .max().orElse(0);
    }

    private static List<Transition> transitionsAfter(SimulatedLan lan, long nanos) {
        return lan.transitions().stream().filter(t -> t.atNanos() - nanos > 0).toList();
    }

    private static String address(int hostPart) {
        return "10.200." + (hostPart >> 8) + "." + (hostPart & 0xff);
    }

    /** ucarp-spec §4.6: the address bytes reversed, as x86 UCarp reads s_addr. */
    private static int x86Order(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }
}
