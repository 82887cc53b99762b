package dev.karp.link;

/**
 * What the interface under a {@link Link} is doing. Only {@link #UP} carries traffic; the
 * daemon stays (or becomes) BACKUP in every other state, and keeps running.
 */
public enum LinkState {
    /** Administratively up with carrier (IFF_UP and IFF_RUNNING): frames flow. */
    UP,
    /**
     * Up but without carrier (cable out, switch port down, veth peer down). UCarp goes BACKUP
     * and sleeps in 10 s steps (ucarp-spec §4.8); karp goes BACKUP and reacts at once to the
     * carrier coming back.
     */
    NO_CARRIER,
    /**
     * Administratively down ({@code ip link set eth0 down}). UCarp's pcap socket reports POLLERR
     * and UCarp exits, leaving the VIP behind (ucarp-spec §4.8, §7.11); karp treats it like
     * carrier loss.
     */
    ADMIN_DOWN,
    /**
     * No interface by that name (deleted, or being re-created). The link re-opens by itself when
     * an interface of that name comes back.
     */
    GONE
}
