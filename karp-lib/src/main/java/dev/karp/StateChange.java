package dev.karp;

import java.time.Instant;
import java.util.Objects;

/**
 * One state change of a group, as a {@link FailoverListener} receives it.
 *
 * @param vhid   the group's virtual host id
 * @param from   the state before
 * @param to     the state now
 * @param reason why, in a few words as karp logs them: {@code master down}, {@code preempting 10.200.0.12},
 *               {@code shutdown}, {@code health failing}, or the failure that stopped the group
 * @param at     when it happened (wall clock)
 */
public record StateChange(int vhid, FailoverState from, FailoverState to, String reason, Instant at) {
    /** Checks that no component but {@code vhid} is null. */
    public StateChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
