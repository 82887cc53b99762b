package dev.karp.sim;

import dev.karp.election.Action;
import dev.karp.election.Election;
import dev.karp.election.Event;
import dev.karp.election.State;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Elections of several nodes on one simulated Ethernet segment, driven by a discrete-event queue
 * on a {@link VirtualClock}: no threads, no sleeps, deterministic for a given seed.
 *
 * <pre>{@code
 * var lan = SimulatedLan.of(node("a").advskew(0), node("b").advskew(100)).clock(new VirtualClock());
 * lan.start();
 * lan.advance(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>The segment delivers each advert to every other running node with carrier in the same
 * partition group, each copy lost with the set probability and delayed uniformly between the set
 * bounds. Timers fire at their deadline plus an optional uniform lateness (a busy daemon).
 *
 * <p>Faults: {@link #kill} (SIGKILL: the node goes silent, its host keeps the VIP), {@link #restart},
 * {@link #shutdown} (graceful), {@link #health}, {@link #link} (carrier), {@link #partition},
 * {@link #loss} and {@link #dropNextAdverts}. After every step the LAN checks that the election's
 * actions agree with its state (no VIP while BACKUP, no advert while not MASTER, no advert without
 * carrier, timers never in the past) and throws an AssertionError naming the seed if not.
 */
public final class SimulatedLan {

    /** A transition seen on the LAN. */
    public record Transition(long atNanos, String node, State from, State to, String reason) {
    }

    public static final String DEFAULT_VIP = "10.200.0.100";

    private static final int TRACE_TAIL = 40;

    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    /**
     * By time; at the same instant a delivered advert goes before a timer, as in UCarp's loop, which
     * processes the received frame before it checks the master-down deadline (ucarp-spec §4.3 steps
     * 5-6); otherwise first scheduled, first run.
     */
    private final PriorityQueue<Pending> queue = new PriorityQueue<>((x, y) -> {
        if (x.at() != y.at()) {
            return Long.signum(x.at() - y.at());
        }
        if (x.getClass() != y.getClass()) {
            return x instanceof Delivery ? -1 : 1;
        }
        return Long.compare(x.seq(), y.seq());
    });
    private final Map<String, Integer> partitionGroup = new HashMap<>();
    private final List<Transition> transitions = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();

    private VirtualClock clock = new VirtualClock();
    private long seed;
    private SplittableRandom random = new SplittableRandom(0);
    private double loss;
    private long delayMinNanos;
    private long delayMaxNanos;
    private long timerLatenessMaxNanos;
    private long sequence;
    private boolean running;
    private Consumer<SimulatedLan> afterEveryStep = lan -> {
    };

    private SimulatedLan() {
    }

    /** A LAN with these nodes, none started yet. Addresses default to 10.200.0.11, .12, ... in order. */
    public static SimulatedLan of(NodeSpec... specs) {
        return of(List.of(specs), DEFAULT_VIP);
    }

    public static SimulatedLan of(List<NodeSpec> specs, String vip) {
        var lan = new SimulatedLan();
        var addresses = new HashSet<Inet4Address>();
        for (int i = 0; i < specs.size(); i++) {
            NodeSpec spec = specs.get(i);
            Inet4Address address = ip(spec.address() != null ? spec.address() : "10.200.0." + (11 + i));
            if (lan.nodes.containsKey(spec.name()) || !addresses.add(address)) {
                throw new IllegalArgumentException("duplicate node name or address: " + spec);
            }
            lan.nodes.put(spec.name(), new SimNode(spec, address, i, vip));
        }
        return lan;
    }

    // ---- set-up --------------------------------------------------------------------------------

    public SimulatedLan clock(VirtualClock value) {
        requireNotRunning("clock");
        clock = value;
        return this;
    }

    /** Seeds packet loss, delays and timer lateness. */
    public SimulatedLan seed(long value) {
        requireNotRunning("seed");
        seed = value;
        random = new SplittableRandom(value);
        return this;
    }

    /** Every copy of every advert takes exactly this long. */
    public SimulatedLan delay(Duration fixed) {
        return delay(fixed, fixed);
    }

    /** Every copy of every advert takes between min and max (uniform), so copies may overtake. */
    public SimulatedLan delay(Duration min, Duration max) {
        if (max.compareTo(min) < 0 || min.isNegative()) {
            throw new IllegalArgumentException("delay " + min + ".." + max);
        }
        delayMinNanos = min.toNanos();
        delayMaxNanos = max.toNanos();
        trace("delay " + min.toMillis() + ".." + max.toMillis() + " ms");
        return this;
    }

    /** TimerFired comes up to this late (uniform), as from a busy daemon. */
    public SimulatedLan timerLateness(Duration max) {
        timerLatenessMaxNanos = max.toNanos();
        trace("timer lateness 0.." + max.toMillis() + " ms");
        return this;
    }

    /** Each copy of an advert is lost with this probability, from now on. */
    public SimulatedLan loss(double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("loss " + probability);
        }
        loss = probability;
        trace("loss " + probability);
        return this;
    }

    /** Runs after every step (event handled), for extra invariants in tests. */
    public SimulatedLan afterEveryStep(Consumer<SimulatedLan> check) {
        afterEveryStep = check;
        return this;
    }

    // ---- faults and operator actions, all at the current virtual time --------------------------

    /** Starts every node that is not running. */
    public void start() {
        for (SimNode node : nodes.values()) {
            if (!node.alive) {
                start(node.name());
            }
        }
    }

    /**
     * Starts a node that is not running, with a fresh election (a new process). Its current health
     * and carrier are reported before Start, as a daemon would.
     */
    public void start(String name) {
        SimNode node = node(name);
        if (node.alive) {
            throw new IllegalStateException(name + " is already running");
        }
        running = true;
        node.election = new Election(node.spec.config(node.address));
        node.incarnation++;
        node.vipAddedByElection = false;
        node.alive = true;
        node.timerGeneration++;
        trace("start " + name);
        if (!node.healthy) {
            step(node, new Event.HealthChanged(now(), false));
        }
        if (!node.linkUp) {
            step(node, new Event.LinkChanged(now(), false));
        }
        step(node, new Event.Start(now()));
    }

    /** Kills a running node (if so) and starts a new process on it. */
    public void restart(String name) {
        if (node(name).alive) {
            kill(name);
        }
        start(name);
    }

    /**
     * SIGKILL: the node stops sending and reacting at once. Its host keeps the VIP if it had it
     * (UCarp cap 02); a later start without --neutral removes it.
     */
    public void kill(String name) {
        SimNode node = node(name);
        if (!node.alive) {
            return;
        }
        node.alive = false;
        node.timerGeneration++;
        trace("kill " + name);
    }

    /** SIGTERM: the election bows out if master and stops. */
    public void shutdown(String name) {
        SimNode node = node(name);
        if (!node.alive) {
            return;
        }
        trace("shutdown " + name);
        step(node, new Event.ShutdownRequested(now()));
    }

    /** The node's health check result (after hysteresis). */
    public void health(String name, boolean healthy) {
        SimNode node = node(name);
        if (node.healthy == healthy) {
            return;
        }
        node.healthy = healthy;
        trace((healthy ? "healthy " : "unhealthy ") + name);
        if (node.alive) {
            step(node, new Event.HealthChanged(now(), healthy));
        }
    }

    /** The node's carrier: without it, it neither sends nor receives. */
    public void link(String name, boolean up) {
        SimNode node = node(name);
        if (node.linkUp == up) {
            return;
        }
        node.linkUp = up;
        trace((up ? "carrier up " : "carrier down ") + name);
        if (node.alive) {
            step(node, new Event.LinkChanged(now(), up));
        }
    }

    /**
     * Splits the segment: nodes in the same given set hear each other; nodes named in no set form
     * one more group together. Adverts in flight across the new border are lost.
     */
    @SafeVarargs
    public final void partition(Set<String>... groups) {
        partition(List.of(groups));
    }

    /** See {@link #partition(Set[])}. */
    public void partition(List<? extends Set<String>> groups) {
        partitionGroup.clear();
        for (int i = 0; i < groups.size(); i++) {
            for (String name : groups.get(i)) {
                node(name);
                partitionGroup.put(name, i + 1);
            }
        }
        trace("partition " + connectedGroupsOfAllNodes());
    }

    /** Joins all partitions again. */
    public void heal() {
        partitionGroup.clear();
        trace("heal");
    }

    /** The node's next {@code count} adverts are lost for every receiver. */
    public void dropNextAdverts(String name, int count) {
        node(name).dropAdverts += count;
        trace("drop next " + count + " adverts of " + name);
    }

    // ---- time ------------------------------------------------------------------------------------

    /** Runs every event due within the next {@code duration} of virtual time. */
    public void advance(Duration duration) {
        runUntil(now() + duration.toNanos());
    }

    /** Runs every event due up to and including {@code targetNanos}, then sets the clock there. */
    public void runUntil(long targetNanos) {
        while (!queue.isEmpty() && queue.peek().at() - targetNanos <= 0) {
            Pending next = queue.poll();
            clock.advanceTo(next.at());
            dispatch(next);
        }
        clock.advanceTo(targetNanos);
    }

    public long now() {
        return clock.nanoTime();
    }

    /** Virtual time since the clock was made. */
    public Duration elapsed() {
        return clock.elapsed();
    }

    // ---- queries ----------------------------------------------------------------------------------

    /** Names of the running nodes in MASTER, sorted. */
    public List<String> masters() {
        var masters = new ArrayList<String>();
        for (SimNode node : nodes.values()) {
            if (node.alive && node.state() == State.MASTER) {
                masters.add(node.name());
            }
        }
        Collections.sort(masters);
        return masters;
    }

    public SimNode node(String name) {
        SimNode node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node " + name + " (nodes: " + nodes.keySet() + ")");
        }
        return node;
    }

    public List<SimNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Running nodes with carrier, grouped by who hears whom; each group sorted, groups by first name. */
    public List<Set<String>> connectedGroups() {
        var groups = new TreeMap<Integer, Set<String>>();
        for (SimNode node : nodes.values()) {
            if (node.alive && node.linkUp) {
                groups.computeIfAbsent(groupOf(node), g -> new TreeSet<>()).add(node.name());
            }
        }
        var result = new ArrayList<>(groups.values());
        result.sort((x, y) -> x.iterator().next().compareTo(y.iterator().next()));
        return result;
    }

    public List<Transition> transitions() {
        return Collections.unmodifiableList(transitions);
    }

    public long seed() {
        return seed;
    }

    /** Faults, transitions and drops so far, one line each, with the virtual time in seconds. */
    public List<String> trace() {
        return Collections.unmodifiableList(trace);
    }

    /** The seed, the time and the last lines of the trace: for assertion messages. */
    public String describe() {
        var sb = new StringBuilder("seed ").append(seed).append(" at ").append(seconds(now()))
                .append(" s, nodes ").append(nodes.values()).append("; trace tail:");
        for (String line : trace.subList(Math.max(0, trace.size() - TRACE_TAIL), trace.size())) {
            sb.append("\n  ").append(line);
        }
        return sb.toString();
    }

    // ---- the engine loop -----------------------------------------------------------------------

    private sealed interface Pending {
        long at();

        long seq();
    }

    private record Delivery(long at, long seq, SimNode to, SimNode from, int advbase, int advskew, long counter)
            implements Pending {
    }

    private record Wake(long at, long seq, SimNode node, long generation) implements Pending {
    }

    private void dispatch(Pending pending) {
        if (pending instanceof Delivery delivery) {
            SimNode to = delivery.to();
            // Lost at arrival if the receiver is down, lost carrier, or a partition came between.
            if (!to.alive || !to.linkUp || groupOf(to) != groupOf(delivery.from())) {
                return;
            }
            to.received.add(new SimNode.Received(now(), delivery.from().name(), delivery.advbase(),
                    delivery.advskew()));
            step(to, new Event.AdvertReceived(now(), delivery.from().address, delivery.advbase(),
                    delivery.advskew(), OptionalLong.of(delivery.counter())));
        } else if (pending instanceof Wake wake) {
            SimNode node = wake.node();
            // A timer re-armed, cancelled, or belonging to a killed process does not fire.
            if (node.alive && node.timerGeneration == wake.generation()) {
                step(node, new Event.TimerFired(now()));
            }
        }
    }

    /** Feeds one event to a node's election, carries out the actions and checks them. */
    private void step(SimNode node, Event event) {
        State before = node.election.state();
        List<Action> actions = node.election.handle(event);
        State current = before;
        for (Action action : actions) {
            if (action instanceof Action.StateChanged changed) {
                check(changed.from() == current, node, "StateChanged from " + changed.from() + " but was " + current);
                check(!(changed.from() == State.INIT && changed.to() == State.MASTER), node, "INIT -> MASTER");
                current = changed.to();
                transitions.add(new Transition(now(), node.name(), changed.from(), changed.to(), changed.reason()));
                trace(node.name() + ": " + changed.from() + " -> " + changed.to() + " (" + changed.reason() + ")");
            } else if (action instanceof Action.AddVip) {
                check(current == State.MASTER, node, "AddVip while " + current);
                check(!node.vipAddedByElection, node, "AddVip twice");
                node.vipAddedByElection = true;
                node.vipOnHost = true;
            } else if (action instanceof Action.RemoveVip) {
                check(current != State.MASTER, node, "RemoveVip while MASTER");
                node.vipAddedByElection = false;
                node.vipOnHost = false;
            } else if (action instanceof Action.SendGratuitousArp) {
                check(current == State.MASTER, node, "GARP while " + current);
                node.gratuitousArps++;
            } else if (action instanceof Action.SendAdvert advert) {
                check(current == State.MASTER, node, "advert while " + current);
                check(node.linkUp, node, "advert without carrier");
                node.advertsSent++;
                // karp counts its adverts (CarpCounter); a dropped advert still uses up its number.
                broadcast(node, advert.advbase(), advert.advskew(), node.advertsSent);
            } else if (action instanceof Action.ArmTimer arm) {
                check(arm.deadlineNanos() - now() >= 0, node, "timer armed in the past");
                node.timerGeneration++;
                long lateness = timerLatenessMaxNanos == 0 ? 0 : random.nextLong(timerLatenessMaxNanos + 1);
                queue.add(new Wake(arm.deadlineNanos() + lateness, sequence++, node, node.timerGeneration));
            } else if (action instanceof Action.CancelTimer) {
                node.timerGeneration++;
            } else if (action instanceof Action.Stopped) {
                node.alive = false;
                node.timerGeneration++;
                trace(node.name() + ": stopped");
            }
        }
        check(current == node.election.state(), node, "actions end in " + current);
        check(node.vipAddedByElection == (current == State.MASTER), node,
                "VIP " + (node.vipAddedByElection ? "held" : "not held") + " while " + current);
        afterEveryStep.accept(this);
    }

    private void broadcast(SimNode from, int advbase, int advskew, long counter) {
        if (from.dropAdverts > 0) {
            from.dropAdverts--;
            trace("dropped advert " + advbase + "/" + advskew + " of " + from.name());
            return;
        }
        for (SimNode to : nodes.values()) {
            if (to == from) {
                continue;
            }
            // Draw for every copy, delivered or not, so that one seed gives one run.
            boolean lost = random.nextDouble() < loss;
            long delay = delayMaxNanos == delayMinNanos
                    ? delayMinNanos
                    : delayMinNanos + random.nextLong(delayMaxNanos - delayMinNanos + 1);
            if (lost || !to.alive || !to.linkUp || groupOf(to) != groupOf(from)) {
                continue;
            }
            queue.add(new Delivery(now() + delay, sequence++, to, from, advbase, advskew, counter));
        }
    }

    private int groupOf(SimNode node) {
        return partitionGroup.getOrDefault(node.name(), 0);
    }

    private List<Set<String>> connectedGroupsOfAllNodes() {
        var groups = new TreeMap<Integer, Set<String>>();
        for (SimNode node : nodes.values()) {
            groups.computeIfAbsent(groupOf(node), g -> new TreeSet<>()).add(node.name());
        }
        return new ArrayList<>(groups.values());
    }

    private void check(boolean condition, SimNode node, String what) {
        if (!condition) {
            throw new AssertionError(node.name() + ": " + what + "; " + describe());
        }
    }

    private void requireNotRunning(String what) {
        if (running) {
            throw new IllegalStateException("set the " + what + " before starting nodes");
        }
    }

    private void trace(String line) {
        trace.add(String.format(Locale.ROOT, "%11.6f %s", seconds(now()), line));
    }

    private double seconds(long nanos) {
        return (nanos - clock.startNanos()) / 1e9;
    }

    private static Inet4Address ip(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
        }
    }
}
