package dev.karp.election;

/**
 * The three CARP states (ucarp-spec §4). INIT exists only until {@link Event.Start}; there is no
 * INIT to MASTER path (UCarp ChangeLog 1.3), every node starts as a BACKUP.
 */
public enum State {
    INIT,
    BACKUP,
    MASTER
}
