package dev.karp.sim;

import dev.karp.election.Election;
import dev.karp.election.State;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One node of a {@link SimulatedLan}, as a test sees it: the running (or last) election, and what
 * its host looks like (VIP configured or not, carrier, health). The LAN changes it; tests read it.
 */
public final class SimNode {

    /** An advert this node's election received, for assertions on reaction times. */
    public record Received(long atNanos, String from, int advbase, int advskew) {
    }

    final NodeSpec spec;
    final Inet4Address address;
    final int index;
    final String lanVip;

    Election election;
    int incarnation;
    boolean alive;
    boolean healthy = true;
    boolean linkUp = true;

    /**
     * The VIP as configured on the host. It outlives the process: a killed node keeps it, as UCarp's
     * hosts do after SIGKILL (ucarp-spec §4.9), until a later start removes it (without --neutral).
     */
    boolean vipOnHost;
    /** Whether the current incarnation added the VIP and has not removed it yet. */
    boolean vipAddedByElection;

    long timerGeneration;
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

    /** The state of the running election, or of the last one if the node is down; INIT if never started. */
    public State state() {
        return election == null ? State.INIT : election.state();
    }

    /** The running (or last) election, or null if the node never started. */
    public Election election() {
        return election;
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
