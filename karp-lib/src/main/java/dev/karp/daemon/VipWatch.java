package dev.karp.daemon;

import dev.karp.carp.AddressClaim;
import dev.karp.carp.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who answers for the group's VIPs (issue 16, items 4 and 5). Pure: claims seen on the link ({@link AddressClaim})
 * and the time in, findings out; the daemon sends the probes it asks for and reports.
 *
 * <ul>
 *   <li><b>Conflict</b> (a MASTER): another MAC claims a VIP, by ARP (reply, request or gratuitous) or neighbour
 *       advertisement: a stale holder, a misconfigured host, or a second master whose adverts this node does not
 *       hear. Counted per claim; the MAC is shown for {@link #SHOWN_NANOS} after the last one.</li>
 *   <li><b>Phantom master</b> (a BACKUP, IPv4): the node asks every {@code probeNanos} who holds the first IPv4 VIP
 *       and who holds the master's address. A round fails when nobody answers for the VIP, or when the VIP and the
 *       master answer from different MACs: the master it follows does not hold the VIP (a forged "better master"
 *       from a made-up or foreign address makes every node follow a master that does not exist, and nobody holds
 *       the VIP). {@link #MISSED_ROUNDS} failed rounds in a row raise the finding; one good round clears it. The
 *       finding is reported only: a backup that took over on it would give a forger who also answers ARP a split
 *       brain at will, and a master whose ARP answers are lost (a filter, a busy link) two holders. A master
 *       whose advert source is not in the same IPv4 subnet (IPv6-only) is not probed.</li>
 * </ul>
 * Not thread-safe: the daemon loop owns it.
 */
final class VipWatch {
    /** How long a conflict stays in the status after the last conflicting claim. */
    static final long SHOWN_NANOS = 60_000_000_000L;
    /** Failed probe rounds in a row before a backup reports a phantom master. */
    static final int MISSED_ROUNDS = 3;

    private final Set<InetAddress> vips;
    private final Inet4Address probedVip;
    private final MacAddress own;
    private final long probeNanos;

    private long conflicts;
    private MacAddress conflictMac;
    private InetAddress conflictVip;
    private long conflictNanos;

    private InetAddress followed;
    /** The VIPs and the followed master, as {@link AddressClaim#match} compares them. */
    private int[] watched4;
    private long[] watched6;
    private boolean roundOpen;
    private long nextProbeNanos;
    private MacAddress vipAnswer;
    private MacAddress masterAnswer;
    private int missed;
    private String phantom;

    /**
     * @param vips       every VIP of the group
     * @param own        this node's MAC: its own claims are no conflict
     * @param probeNanos how often a backup asks who holds the VIP
     */
    VipWatch(List<InetAddress> vips, MacAddress own, long probeNanos) {
        this.vips = Set.copyOf(vips);
        this.probedVip = vips.stream().filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast)
                .findFirst().orElse(null);
        this.own = Objects.requireNonNull(own, "own");
        this.probeNanos = probeNanos;
        watch();
    }

    /**
     * Whether a frame is a claim {@link #claim} may act on (one of the VIPs, or the master followed): the many that
     * are not are known without building the claim (issue 16, a flood of ARP frames). {@link AddressClaim#match}.
     */
    int match(java.nio.ByteBuffer frame) {
        return AddressClaim.match(frame, watched4, watched6);
    }

    private void watch() {
        java.util.List<InetAddress> all = new java.util.ArrayList<>(vips);
        if (followed != null) {
            all.add(followed);
        }
        watched4 = all.stream().filter(Inet4Address.class::isInstance)
                .mapToInt(a -> java.nio.ByteBuffer.wrap(a.getAddress()).getInt()).toArray();
        watched6 = all.stream().filter(java.net.Inet6Address.class::isInstance).map(a -> java.nio.ByteBuffer.wrap(a.getAddress()))
                .flatMapToLong(b -> java.util.stream.LongStream.of(b.getLong(0), b.getLong(8))).toArray();
    }

    /**
     * A claim seen on the link.
     *
     * @param master whether this node is MASTER now
     * @return the conflict it is, for a MASTER: another MAC claims one of our VIPs
     */
    Optional<Conflict> claim(AddressClaim c, boolean master, long now) {
        if (c.mac().equals(own)) {
            return Optional.empty();
        }
        boolean ours = vips.contains(c.address());
        if (master && ours) {
            conflicts++;
            conflictMac = c.mac();
            conflictVip = c.address();
            conflictNanos = now;
            return Optional.of(new Conflict(c.address(), c.mac()));
        }
        if (roundOpen && c.address().equals(probedVip)) {
            vipAnswer = c.mac();
        } else if (roundOpen && c.reply() && c.address().equals(followed)) {
            masterAnswer = c.mac();
        }
        return Optional.empty();
    }

    /**
     * Where a BACKUP stands: closes the probe round that is due and says whom to ask next.
     *
     * @param master the master this node follows now, or null (not BACKUP, or no master known)
     * @return the addresses to send ARP requests for now (the VIP and the master), empty when no round is due
     */
    List<Inet4Address> backup(InetAddress master, long now) {
        if (master == null || probedVip == null || !(master instanceof Inet4Address m)) {
            reset(null);
            return List.of();
        }
        if (!master.equals(followed)) {
            reset(master);
        }
        if (roundOpen && now - nextProbeNanos < 0) {
            return List.of();
        }
        if (roundOpen) {
            String failure = vipAnswer == null ? "no host answers ARP for " + probedVip.getHostAddress()
                    : masterAnswer != null && !masterAnswer.equals(vipAnswer) ? probedVip.getHostAddress()
                            + " is answered by " + vipAnswer + " but the master " + m.getHostAddress() + " by "
                            + masterAnswer : null;
            if (failure == null) {
                missed = 0;
                phantom = null;
            } else if (++missed >= MISSED_ROUNDS) {
                phantom = "following " + m.getHostAddress() + ", a master that does not hold the VIP: " + failure;
            }
        }
        roundOpen = true;
        vipAnswer = null;
        masterAnswer = null;
        nextProbeNanos = now + probeNanos;
        return List.of(probedVip, m);
    }

    private void reset(InetAddress master) {
        if (!Objects.equals(master, followed)) {
            followed = master;
            watch();
        }
        roundOpen = false;
        missed = 0;
        phantom = null;
    }

    /** The phantom-master finding, while it stands. */
    Optional<String> phantom() {
        return Optional.ofNullable(phantom);
    }

    /** Conflicting claims seen as MASTER since start. */
    long conflicts() {
        return conflicts;
    }

    /** The last conflict, if it is recent. */
    Optional<Conflict> recentConflict(long now) {
        return conflictMac != null && now - conflictNanos < SHOWN_NANOS
                ? Optional.of(new Conflict(conflictVip, conflictMac)) : Optional.empty();
    }

    /** Another MAC claiming a VIP while this node holds it. */
    record Conflict(InetAddress vip, MacAddress mac) {
    }
}
