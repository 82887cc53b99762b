package dev.karp.election;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Short names for scripted election tests: times in seconds, addresses as strings. */
final class Script {

    static final Inet4Address A = ip("10.200.0.11");
    static final Inet4Address B = ip("10.200.0.12");
    static final Inet4Address C = ip("10.200.0.13");

    private Script() {
    }

    static Inet4Address ip(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    static long at(double seconds) {
        return Math.round(seconds * 1e9);
    }

    static Event.Start start(double seconds) {
        return new Event.Start(at(seconds));
    }

    static Event.TimerFired timer(double seconds) {
        return new Event.TimerFired(at(seconds));
    }

    static Event.AdvertReceived advert(double seconds, Inet4Address src, int advbase, int advskew) {
        return new Event.AdvertReceived(at(seconds), src, advbase, advskew);
    }

    static Event.ShutdownRequested shutdown(double seconds) {
        return new Event.ShutdownRequested(at(seconds));
    }

    static Event.HealthChanged health(double seconds, boolean healthy) {
        return new Event.HealthChanged(at(seconds), healthy);
    }

    static Event.LinkChanged link(double seconds, boolean up) {
        return new Event.LinkChanged(at(seconds), up);
    }

    static Action.ArmTimer armAt(double seconds) {
        return new Action.ArmTimer(at(seconds));
    }

    /** A node with UCarp's defaults (advbase 1, advskew 0, deadratio 3) at the given address. */
    static ElectionConfig node(Inet4Address srcip) {
        return ElectionConfig.defaults(srcip);
    }

    /** An election that started at 0 s and became MASTER at its master-down deadline. */
    static Election masterSince(ElectionConfig config) {
        var election = new Election(config, 0);
        election.handle(start(0));
        election.handle(new Event.TimerFired(Timing.masterDownNanos(config.advbase(), config.advskew(), config.deadratio())));
        if (election.state() != State.MASTER) {
            throw new AssertionError("expected MASTER, got " + election);
        }
        return election;
    }
}
