package dev.karp.sim;

import dev.karp.election.ElectionConfig;

/**
 * One node of a {@link SimulatedLan}: its name and election options, UCarp's defaults unless set
 * (advbase 1, advskew 0, deadratio 3). Immutable: each fluent method returns a new spec.
 * <pre>{@code SimulatedLan.of(node("a").advskew(0), node("b").advskew(100).preempt())}</pre>
 */
public final class NodeSpec {

    private final String name;
    private final int advbase;
    private final int advskew;
    private final int deadratio;
    private final boolean preempt;
    private final boolean neutral;
    private final String address;

    private NodeSpec(String name, int advbase, int advskew, int deadratio, boolean preempt, boolean neutral,
            String address) {
        this.name = name;
        this.advbase = advbase;
        this.advskew = advskew;
        this.deadratio = deadratio;
        this.preempt = preempt;
        this.neutral = neutral;
        this.address = address;
    }

    /** A node with UCarp's defaults and an address chosen by the LAN (10.200.0.11 for the first...). */
    public static NodeSpec node(String name) {
        return new NodeSpec(name, ElectionConfig.DEFAULT_ADVBASE, ElectionConfig.DEFAULT_ADVSKEW,
                ElectionConfig.DEFAULT_DEADRATIO, false, false, null);
    }

    public NodeSpec advbase(int value) {
        return new NodeSpec(name, value, advskew, deadratio, preempt, neutral, address);
    }

    public NodeSpec advskew(int value) {
        return new NodeSpec(name, advbase, value, deadratio, preempt, neutral, address);
    }

    public NodeSpec deadratio(int value) {
        return new NodeSpec(name, advbase, advskew, value, preempt, neutral, address);
    }

    public NodeSpec preempt() {
        return preempt(true);
    }

    public NodeSpec preempt(boolean value) {
        return new NodeSpec(name, advbase, advskew, deadratio, value, neutral, address);
    }

    public NodeSpec neutral() {
        return new NodeSpec(name, advbase, advskew, deadratio, preempt, true, address);
    }

    /** The node's --srcip (else 10.200.0.(11 + its position in the LAN)). */
    public NodeSpec address(String value) {
        return new NodeSpec(name, advbase, advskew, deadratio, preempt, neutral, value);
    }

    public String name() {
        return name;
    }

    public int advbase() {
        return advbase;
    }

    public int advskew() {
        return advskew;
    }

    public int deadratio() {
        return deadratio;
    }

    public boolean preempts() {
        return preempt;
    }

    public boolean startsNeutral() {
        return neutral;
    }

    /** The configured address, or null if the LAN chooses it. */
    public String address() {
        return address;
    }

    @Override
    public String toString() {
        return name + "(" + (address == null ? "" : address + " ") + advbase + "/" + advskew
                + (deadratio == ElectionConfig.DEFAULT_DEADRATIO ? "" : " r" + deadratio)
                + (preempt ? " preempt" : "") + (neutral ? " neutral" : "") + ")";
    }
}
