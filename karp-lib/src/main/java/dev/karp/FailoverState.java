package dev.karp;

/**
 * The state of a CARP group on this node.
 */
public enum FailoverState {
    /** Starting: not yet part of the election. Every node leaves it as {@link #BACKUP}, never as master. */
    INIT,
    /** Following a master, or waiting to take over; the VIP is not on this node. */
    BACKUP,
    /** Holding the VIP and advertising it. */
    MASTER,
    /** The group stopped: after {@link VipFailover#close()}, or after a failure the failover cannot run without. */
    STOPPED
}
