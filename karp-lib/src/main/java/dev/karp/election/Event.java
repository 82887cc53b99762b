package dev.karp.election;

import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Something that happened to the node, with the monotonic time ({@code System.nanoTime()} in the
 * daemon, a virtual clock in tests) at which it happened. The daemon feeds events to
 * {@link Election#handle(Event)} one at a time, in the order they happened.
 */
public sealed interface Event {

    /** Monotonic time of the event, in nanoseconds. Only differences between values matter. */
    long nowNanos();

    /** The daemon is ready (link open): INIT to BACKUP, master-down timer armed (ucarp-spec §4.2). */
    record Start(long nowNanos) implements Event {
    }

    /**
     * A peer's advert that already passed every check of ucarp-spec §1.6 (TTL, version, vhid,
     * destination, checksum, HMAC). Dropped packets never become events: a drop changes no timer
     * and no state.
     *
     * @param src     the advert's IP source
     * @param advbase 0..255, as on the wire
     * @param advskew 0..255, as on the wire
     * @param counter the advert's 64-bit counter, if known: a master counts its adverts with it
     *                (ucarp-spec §2.4), which tells a lost advert from a late one
     */
    record AdvertReceived(long nowNanos, InetAddress src, int advbase, int advskew, OptionalLong counter)
            implements Event {
        public AdvertReceived {
            Objects.requireNonNull(src, "src");
            requireByte("advbase", advbase);
            requireByte("advskew", advskew);
            Objects.requireNonNull(counter, "counter");
        }

        /** An advert whose counter is not known. */
        public AdvertReceived(long nowNanos, InetAddress src, int advbase, int advskew) {
            this(nowNanos, src, advbase, advskew, OptionalLong.empty());
        }
    }

    /**
     * The timer of the last {@link Action.ArmTimer} went off; delivered at or after its deadline, or up to
     * {@code earlyNanos} before it when the daemon is awake anyway for another group on the same interface. Only a
     * MASTER's advert may go early, and by at most {@link Election#advertEarlyNanos()}: sending several groups'
     * adverts on one wake-up spares the wake-ups of each (issue 14). A backup's master-down never fires early.
     *
     * @param earlyNanos how much before the deadline this may be, ≥ 0; 0 (the usual case) for at or after it
     */
    record TimerFired(long nowNanos, long earlyNanos) implements Event {
        public TimerFired {
            if (earlyNanos < 0) {
                throw new IllegalArgumentException("earlyNanos " + earlyNanos + " is negative (expected: >= 0)");
            }
        }

        /** The timer went off at or after its deadline. */
        public TimerFired(long nowNanos) {
            this(nowNanos, 0);
        }
    }

    /** Graceful stop (SIGTERM): a master bows out, then the engine answers {@link Action.Stopped}. */
    record ShutdownRequested(long nowNanos) implements Event {
    }

    /**
     * The node's health changed (after the health monitor's hysteresis). An unhealthy node
     * advertises and compares with advskew {@value Timing#DEMOTED_ADVSKEW} and a master bows out.
     */
    record HealthChanged(long nowNanos, boolean healthy) implements Event {
    }

    /** The link's carrier changed (ucarp-spec §4.8: IFF_RUNNING). */
    record LinkChanged(long nowNanos, boolean up) implements Event {
    }

    /** The last {@link Action.SendAdvert} could not be written (ucarp-spec §4.10). Optional input. */
    record SendFailed(long nowNanos) implements Event {
    }

    /** The last {@link Action.SendAdvert} was written (ucarp-spec §4.10). Optional input. */
    record SendSucceeded(long nowNanos) implements Event {
    }

    /**
     * karp: the daemon's loop stood still for {@code stalledNanos} while MASTER, long enough that the VIP's finite
     * lifetime may have run out and a backup may have taken over. A master rejoins as a BACKUP; others ignore it.
     */
    record Stalled(long nowNanos, long stalledNanos) implements Event {
    }

    private static void requireByte(String field, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(field + " " + value + " is out of range (expected: 0..255)");
        }
    }
}
