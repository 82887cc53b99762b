package dev.karp.election;

import java.util.Objects;

/**
 * What the daemon must do, in list order, after an event. The election never does anything itself.
 */
public sealed interface Action {

    /**
     * Send one advert with these values (the configured advbase; the configured advskew, or
     * {@value Timing#DEMOTED_ADVSKEW} while demoted, or 255/255 for a bow-out). The counter and HMAC
     * are the codec's business (ucarp-spec §2.4).
     */
    record SendAdvert(int advbase, int advskew) implements Action {
    }

    /** Configure the VIP on the interface (UCarp's upscript). Only ever emitted on becoming MASTER. */
    record AddVip() implements Action {
    }

    /**
     * Remove the VIP from the interface (UCarp's downscript): on leaving MASTER, and at start
     * without --neutral so that a VIP left by a killed process is cleaned up (ucarp-spec §4.2, §4.9).
     */
    record RemoveVip() implements Action {
    }

    /** Send one gratuitous ARP for the VIP (ucarp-spec §6). */
    record SendGratuitousArp() implements Action {
    }

    /**
     * Deliver {@link Event.TimerFired} at (or after) this monotonic time. There is one timer: this
     * replaces any deadline armed before. It is one-shot: after delivering TimerFired the daemon has
     * no timer until the next ArmTimer.
     */
    record ArmTimer(long deadlineNanos) implements Action {
    }

    /** Forget the armed timer: no TimerFired is wanted until the next {@link ArmTimer}. */
    record CancelTimer() implements Action {
    }

    /** The state changed; for logs, listeners and status. Emitted before the VIP action it implies. */
    record StateChanged(State from, State to, String reason) implements Action {
        public StateChanged {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Shutdown is complete (the VIP is released if this node had it): the daemon may exit. */
    record Stopped() implements Action {
    }
}
