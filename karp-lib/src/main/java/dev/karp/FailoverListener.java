package dev.karp;

/**
 * Told of every state change of a {@link VipFailover}, in order.
 *
 * <p>Calls come one at a time from a thread of karp's own, never from the protocol loop: a listener may block
 * (start a service, write a file) without delaying adverts or a takeover. While it blocks, later changes queue
 * up and are delivered after it returns. An exception it throws is logged and does not stop the failover.
 */
@FunctionalInterface
public interface FailoverListener {
    /**
     * Called once per state change. The VIP is already on the interface when {@code change.to()} is
     * {@link FailoverState#MASTER}, and already gone when a master becomes {@link FailoverState#BACKUP}.
     *
     * @param change what changed
     */
    void onStateChange(StateChange change);
}
