package dev.karp.daemon;

import dev.karp.election.Timing;
import java.time.Duration;

/**
 * The finite lifetime a master gives its VIPs (valid_lft = preferred_lft), so that the kernel removes them by
 * itself from a master that was killed (SIGKILL, an OOM kill) or frozen (SIGSTOP, a paused VM, a long GC): such a
 * master can no longer answer ARP for the VIP beside the backup that took over. Pure arithmetic; the daemon renews
 * and watches it (docs/protocol.md, "VIP lifetime").
 */
public final class VipLifetime {
    /** Under this, one late loop iteration could let the address expire under a running master. */
    public static final Duration FLOOR = Duration.ofSeconds(2);
    /** The longest lifetime a user may choose; beyond it the protection is gone in practice. */
    public static final Duration MAX = Duration.ofHours(1);
    /**
     * A master that has not renewed for its lifetime less this counts as stalled: the kernel expires an address up
     * to 20 ms early (ADDRCONF_TIMER_FUZZ_MINUS), and a renew this close could re-add one that just expired.
     */
    static final long STALL_GUARD_NANOS = 200_000_000L;

    private static final long SECOND = 1_000_000_000L;

    private VipLifetime() {
    }

    /**
     * The automatic lifetime: the master-down interval of a backup at advskew 0 (the first to take over) less one
     * second, in whole seconds, so that a dead master's VIP has left before any backup takes over; at least
     * {@link #FLOOR}, and at least the node's advert interval plus one second, so that the renew at each advert
     * always comes well before expiry. The second below master-down is the kernel's slack: it counts lifetimes in
     * whole seconds and runs its expiry check up to a second late when the check ran shortly before for another
     * address (the minimum interval of devinet.c's check_lifetime and addrconf's verify work). With master-down
     * itself, the expiry raced the takeover at equal advskews (up to 0.4 s of two holders in the chaos soak).
     * advbase 1 gives 2 s; advbase 0 the floor, far above its master-down (the kernel cannot do better).
     */
    public static Duration auto(int advbase, int advskew, int deadratio) {
        long beforeTakeover = (Timing.masterDownNanos(advbase, 0, deadratio) - SECOND) / SECOND * SECOND;
        return Duration.ofNanos(Math.max(Math.max(FLOOR.toNanos(), beforeTakeover), minimumNanos(advbase, advskew)));
    }

    /** The shortest lifetime that renewing at every advert keeps from expiring, in whole seconds. */
    public static Duration minimum(int advbase, int advskew) {
        return Duration.ofNanos(Math.max(FLOOR.toNanos(), minimumNanos(advbase, advskew)));
    }

    /**
     * The lifetime to renew with while the node advertises with {@code advskew} now: the configured one, raised to
     * the minimum of the current advert interval. A demoted master (every node unhealthy) advertises with advskew
     * {@value Timing#DEMOTED_ADVSKEW}, nearly twice as seldom at advbase 1, and a lifetime fit for its usual interval
     * would expire between two adverts.
     */
    static Duration forAdvskew(Duration configured, int advbase, int advskew) {
        Duration min = minimum(advbase, advskew);
        return configured.compareTo(min) >= 0 ? configured : min;
    }

    private static long minimumNanos(int advbase, int advskew) {
        long longest = Timing.advertIntervalNanos(advbase, advskew) + SECOND;
        return (longest + SECOND - 1) / SECOND * SECOND;
    }

    /**
     * How often a master renews at most: a quarter lifetime. At advbase ≥ 1 that is every advert; at advbase 0 it
     * keeps a master from asking the kernel many times a second.
     */
    static long renewEveryNanos(Duration lifetime) {
        return lifetime.toNanos() / 4;
    }

    /** Time without a renew after which a master must not renew, but rejoin as a backup (Event.Stalled). */
    static long stalledAfterNanos(Duration lifetime) {
        return lifetime.toNanos() - STALL_GUARD_NANOS;
    }
}
