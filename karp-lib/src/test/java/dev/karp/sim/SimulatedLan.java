package dev.karp.sim;

import dev.karp.StateChange;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpPassword;
import dev.karp.daemon.Daemon;
import dev.karp.daemon.DaemonException;
import dev.karp.daemon.GroupConfig;
import dev.karp.election.State;
import dev.karp.link.LinkException;
import dev.karp.scripts.ScriptRunner;
import dev.karp.net.Cidr;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
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
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Several nodes on one simulated Ethernet segment, each running the shipped engine (the
 * {@link Daemon} loop that {@link dev.karp.VipFailover} runs, with its codec, HMAC, filter, election
 * and host checks) over an in-memory link and VIP manager, driven by a discrete-event queue on a
 * {@link VirtualClock}: no threads, no sleeps, deterministic for a given seed.
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
 * {@link #loss} and {@link #dropNextAdverts}. After every step the LAN checks that the host agrees
 * with the daemon (the VIP on a running node exactly while it is MASTER, no advert without carrier,
 * never INIT to MASTER) and throws an AssertionError naming the seed if not.
 */
public final class SimulatedLan {

    /** A transition seen on the LAN. */
    public record Transition(long atNanos, String node, State from, State to, String reason) {
    }

    public static final String DEFAULT_VIP = "10.200.0.100";

    private static final int VHID = 7;
    private static final CarpPassword PASSWORD = CarpPassword.of("sim-secret");
    /** Status timestamps only; every timer runs on the virtual clock. */
    private static final Clock WALL = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

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

    private final ScriptRunner scripts = new ScriptRunner(Duration.ofSeconds(1));
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
     * Starts a node that is not running, with a fresh daemon (a new process), the engine that
     * {@link dev.karp.VipFailover} runs. Its current health and carrier are reported before it
     * starts, as the shell does.
     */
    public void start(String name) {
        SimNode node = node(name);
        if (node.alive) {
            throw new IllegalStateException(name + " is already running");
        }
        running = true;
        node.incarnation++;
        node.alive = true;
        node.wakeGeneration++;
        node.inbox.clear();
        node.wakeupPending = false;
        node.link = new SimLink(this, node);
        Cidr vip = Cidr.of(ip(node.lanVip), 24);
        GroupConfig config = new GroupConfig("eth0", node.address, VHID, PASSWORD, vip, node.spec.advbase(),
                node.spec.advskew(), node.spec.deadratio(), node.spec.preempts(), node.spec.startsNeutral(), false, false,
                Carp.DEFAULT_GROUP, false, 1, Optional.empty(), Optional.empty(), Optional.empty());
        node.daemon = new Daemon(config, node.link, new SimVips(node, Cidr.of(node.address, 24), vip),
                config.scripts(scripts),
                clock::nanoTime, WALL, new SplittableRandom(seed * 31 + node.index * 7919L + node.incarnation),
                change -> onChange(node, change));
        trace("start " + name);
        if (!node.healthy) {
            node.daemon.setHealthy(false);
        }
        try {
            node.daemon.start();
        } catch (LinkException | DaemonException e) {
            throw new AssertionError(name + ": start failed: " + e.getMessage() + "; " + describe(), e);
        }
        iterate(node);
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
        node.wakeGeneration++;
        node.inbox.clear();
        trace("kill " + name);
    }

    /** SIGTERM: the election bows out if master and stops. */
    public void shutdown(String name) {
        SimNode node = node(name);
        if (!node.alive) {
            return;
        }
        trace("shutdown " + name);
        node.daemon.requestShutdown();
        iterate(node);
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
            node.daemon.setHealthy(healthy);
            iterate(node);
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
        if (!up) {
            node.inbox.clear(); // frames queued in a ring are lost when the carrier goes
        }
        if (node.alive) {
            node.link.wakeup();
            iterate(node);
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

    private record Delivery(long at, long seq, SimNode to, SimNode from, byte[] frame) implements Pending {
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
            byte[] f = delivery.frame();
            int carp = carpOffset(f);
            to.received.add(new SimNode.Received(now(), delivery.from().name(), f[carp + 5] & 0xff, f[carp + 2] & 0xff));
            to.inbox.addLast(f);
            iterate(to);
        } else if (pending instanceof Wake wake) {
            SimNode node = wake.node();
            // A wake superseded by a later iteration, or belonging to a killed process, does nothing.
            if (node.alive && node.wakeGeneration == wake.generation()) {
                iterate(node);
            }
        }
    }

    /**
     * Runs the node's loop as {@link Daemon#run()} does, without waiting: what is due now, then
     * the frames that have arrived (or the wakeup), until nothing is due before the daemon's next
     * deadline; then schedules a wake for that deadline (plus the set lateness).
     */
    private void iterate(SimNode node) {
        Daemon d = node.daemon;
        try {
            for (int rounds = 0; node.alive; rounds++) {
                check(rounds < 10_000, node, "the loop does not settle");
                if (d.stopped()) {
                    d.finish();
                    node.alive = false;
                    node.wakeGeneration++;
                    trace(node.name() + ": stopped");
                    break;
                }
                if (d.step()) {
                    continue;
                }
                boolean due = now() - d.wakeNanos() >= 0;
                if (!node.inbox.isEmpty() || node.wakeupPending || due) {
                    node.wakeupPending = false;
                    d.received(node.link.receive(Duration.ZERO));
                    continue;
                }
                node.wakeGeneration++;
                long lateness = timerLatenessMaxNanos == 0 ? 0 : random.nextLong(timerLatenessMaxNanos + 1);
                queue.add(new Wake(d.wakeNanos() + lateness, sequence++, node, node.wakeGeneration));
                break;
            }
        } catch (LinkException | DaemonException e) {
            throw new AssertionError(node.name() + ": the daemon failed: " + e.getMessage() + "; " + describe(), e);
        }
        checkHost(node);
        afterEveryStep.accept(this);
    }

    /** The host agrees with the daemon: the VIP on a running node exactly while it is MASTER. */
    private void checkHost(SimNode node) {
        if (!node.alive) {
            return;
        }
        State state = node.state();
        check(state != State.MASTER || node.vipOnHost, node, "MASTER without the VIP");
        // A neutral node leaves a VIP found at start alone until it hears a master, then housekeeping removes it.
        check(state == State.MASTER || !node.vipOnHost || node.spec.startsNeutral(), node, "VIP held while " + state);
    }

    private void onChange(SimNode node, StateChange change) {
        State from = State.valueOf(change.from().name());
        State to = State.valueOf(change.to().name());
        check(!(from == State.INIT && to == State.MASTER), node, "INIT -> MASTER");
        transitions.add(new Transition(now(), node.name(), from, to, change.reason()));
        trace(node.name() + ": " + from + " -> " + to + " (" + change.reason() + ")");
    }

    /** A frame the node's link sent: adverts go to the other nodes, gratuitous ARPs are counted. */
    void transmit(SimNode from, byte[] frame) {
        if (frame.length > 13 && frame[12] == 0x08 && frame[13] == 0x06) {
            from.gratuitousArps++;
            return;
        }
        from.advertsSent++;
        int carp = carpOffset(frame);
        int advbase = frame[carp + 5] & 0xff;
        int advskew = frame[carp + 2] & 0xff;
        check(from.linkUp, from, "advert without carrier");
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
            queue.add(new Delivery(now() + delay, sequence++, to, from, frame.clone()));
        }
    }

    /** Where the CARP header starts in an IPv4 frame: after Ethernet and the IP header. */
    private static int carpOffset(byte[] frame) {
        return 14 + (frame[14] & 0x0f) * 4;
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
