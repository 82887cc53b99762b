package dev.karp;

import java.util.List;

/**
 * A {@link VipFailover}'s status: one entry per group.
 *
 * @param groups            each group's status, in the order they were configured
 * @param loopResponsive    true while the protocol loop iterates; false if it has been stuck for longer than
 *                          three housekeeping periods (what {@code /healthz} and {@code karp healthcheck} check)
 */
public record FailoverStatus(List<GroupStatus> groups, boolean loopResponsive) {
    /** Copies the groups; there is at least one. */
    public FailoverStatus {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a failover has at least one group");
        }
    }

    /**
     * The first group's status: the only one while a failover runs one group.
     *
     * @return the first group's status
     */
    public GroupStatus group() {
        return groups.get(0);
    }

    /**
     * The first group's state.
     *
     * @return the first group's state
     */
    public FailoverState state() {
        return group().state();
    }

    /**
     * Whether this node holds the VIP.
     *
     * @return true when the first group is MASTER and its VIP was on the interface at the last check
     */
    public boolean holdsVip() {
        GroupStatus g = group();
        return g.state() == FailoverState.MASTER && g.vipPresent().orElse(false);
    }
}
