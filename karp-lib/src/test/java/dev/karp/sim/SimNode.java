package dev.karp.sim;

import dev.karp.FailoverState;
import dev.karp.GroupStatus;
import dev.karp.daemon.Daemon;
import dev.karp.election.State;
import java.net.Inet4Address;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One node of a {@link SimulatedLan}, as a test sees it: the running (or last) daemon, the same
 * engine {@link dev.karp.VipFailover} runs, and what its host looks like (VIP configured or not,
 * carrier, health). The LAN changes it; tests read it.
 */
public final class SimNode {

    /** An advert this node's election received, for assertions on reaction times. */
    public record Received(long atNanos, String from, int advbase, int advskew) {
    }

    final NodeSpec spec;
    final Inet4Address address;
    final int index;
    final String lanVip;

    Daemon daemon;
    SimLink link;
    int incarnation;
    boolean alive;
    boolean healthy = true;
    boolean linkUp = true;

    /**
     * The VIP as configured on the host. It outlives the process: a killed node keeps it, as UCarp's
     * hosts do after SIGKILL (ucarp-spec §4.9), until a later start removes it (without --neutral).
     */
    boolean vipOnHost;
    /** Frames that reached this node's link and wait to be read, oldest first. */
    final Deque<byte[]> inbox = new ArrayDeque<>();
    /** A wakeup of the link (health, shutdown, carrier change) not yet seen by the loop. */
    boolean wakeupPending;

    long wakeGeneration;
    int dropAdverts;
    int gratuitousArps;
    int advertsSent;
    final List<Received> received = new ArrayList<>();

    SimNode(NodeSpec spec, Inet4Address address, int index, String lanVip) {
        this.spec = spec;
        this.address = address;
        this.index = index;
        this.lanVip = lanVip;
    }

    public String name() {
        return spec.name();
    }

    public NodeSpec spec() {
        return spec;
    }

    public Inet4Address address() {
        return address;
    }

    /** Running: started, and neither killed nor stopped. */
    public boolean alive() {
        return alive;
    }

    public boolean healthy() {
        return healthy;
    }

    public boolean linkUp() {
        return linkUp;
    }

    /** The state of the running daemon, or of the last one if the node is down; INIT if never started. */
    public State state() {
        if (daemon == null) {
            return State.INIT;
        }
        FailoverState s = daemon.status().state();
        return s == FailoverState.MASTER ? State.MASTER : s == FailoverState.INIT ? State.INIT : State.BACKUP;
    }

    /** True once the node was started at least once. */
    public boolean started() {
        return daemon != null;
    }

    /** The running (or last) daemon's status; null if the node never started. */
    public GroupStatus status() {
        return daemon == null ? null : daemon.status();
    }

    /** The advskew the node advertises now (240 while demoted by its health). */
    public int advskew() {
        return daemon == null ? spec.advskew() : daemon.status().advskew();
    }

    /** The VIPs configured on this node's host (a killed node keeps its VIP). */
    public Set<String> vipsHeld() {
        return vipOnHost ? Set.of(lanVip) : Set.of();
    }

    public int gratuitousArps() {
        return gratuitousArps;
    }

    public int advertsSent() {
        return advertsSent;
    }

    /** Adverts delivered to this node's elections, oldest first. */
    public List<Received> received() {
        return Collections.unmodifiableList(received);
    }

    @Override
    public String toString() {
        return spec + " " + (alive ? state() : "down") + (vipOnHost ? " +vip" : "")
                + (healthy ? "" : " unhealthy") + (linkUp ? "" : " no-carrier");
    }
}
