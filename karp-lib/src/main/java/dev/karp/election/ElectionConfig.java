package dev.karp.election;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the election needs from the configuration. Names follow the UCarp options (ucarp-spec §5).
 *
 * @param advbase   {@code --advbase}, seconds, 0..255 (0 only with advskew ≥ 1: sub-second intervals)
 * @param advskew   {@code --advskew}, 0..255; the advert interval is advbase + advskew/256 seconds
 * @param deadratio {@code --deadratio}, 1..255; a backup waits deadratio·advbase + advskew/256 s
 * @param preempt   {@code --preempt}: a backup with a shorter interval takes over from the master
 * @param neutral   {@code --neutral}: do not remove the VIP when starting
 * @param srcip     {@code --srcip}, the node's own address; breaks ties between equal intervals. An IPv4
 *                  address, or for a group with IPv6 VIPs only, the interface's IPv6 link-local address
 * @param srcip6    the source of the node's IPv6 adverts (the interface's link-local address) when the group
 *                  has IPv6 VIPs; its own adverts are never processed either
 */
public record ElectionConfig(
        int advbase, int advskew, int deadratio, boolean preempt, boolean neutral, InetAddress srcip,
        Optional<Inet6Address> srcip6) {

    public ElectionConfig {
        Objects.requireNonNull(srcip6, "srcip6");
    }

    /** An IPv4-only group, as UCarp runs one. */
    public ElectionConfig(int advbase, int advskew, int deadratio, boolean preempt, boolean neutral,
            Inet4Address srcip) {
        this(advbase, advskew, deadratio, preempt, neutral, srcip, Optional.empty());
    }

    /** True when {@code address} is one of this node's advert sources. */
    public boolean isOwn(InetAddress address) {
        return address.equals(srcip) || srcip6.isPresent() && address.equals(srcip6.get());
    }

    /** ucarp-spec §5: UCarp's defaults, advbase 1, advskew 0, deadratio 3. */
    public static final int DEFAULT_ADVBASE = 1;

    /** See {@link #DEFAULT_ADVBASE}. */
    public static final int DEFAULT_ADVSKEW = 0;

    /** See {@link #DEFAULT_ADVBASE}. */
    public static final int DEFAULT_DEADRATIO = 3;

    /**
     * karp bounds the deadratio; UCarp accepts any unsigned 32-bit value and silently wraps
     * advbase·deadratio (ucarp-spec §4.12).
     */
    public static final int MAX_DEADRATIO = 255;

    /** UCarp's defaults for the given address, without --preempt and --neutral. */
    public static ElectionConfig defaults(Inet4Address srcip) {
        return new ElectionConfig(DEFAULT_ADVBASE, DEFAULT_ADVSKEW, DEFAULT_DEADRATIO, false, false, srcip);
    }

    public ElectionConfig withAdvbase(int value) {
        return new ElectionConfig(value, advskew, deadratio, preempt, neutral, srcip, srcip6);
    }

    public ElectionConfig withAdvskew(int value) {
        return new ElectionConfig(advbase, value, deadratio, preempt, neutral, srcip, srcip6);
    }

    public ElectionConfig withDeadratio(int value) {
        return new ElectionConfig(advbase, advskew, value, preempt, neutral, srcip, srcip6);
    }

    public ElectionConfig withPreempt(boolean value) {
        return new ElectionConfig(advbase, advskew, deadratio, value, neutral, srcip, srcip6);
    }

    public ElectionConfig withNeutral(boolean value) {
        return new ElectionConfig(advbase, advskew, deadratio, preempt, value, srcip, srcip6);
    }

    public ElectionConfig withSrcip(InetAddress value) {
        return new ElectionConfig(advbase, advskew, deadratio, preempt, neutral, value, srcip6);
    }

    /**
     * Checks every rule once, naming the option, the value and what is expected.
     *
     * @return this configuration, for chaining
     * @throws IllegalArgumentException with a one-line message such as
     *     {@code --advskew 300 is out of range (expected: 0..255)}
     */
    public ElectionConfig validate() {
        requireRange("--advbase", advbase, 0, 255);
        requireRange("--advskew", advskew, 0, 255);
        requireRange("--deadratio", deadratio, 1, MAX_DEADRATIO);
        // ucarp-spec §5: "advbase 0 with advskew 0 → You must supply an advertisement time base".
        if (advbase == 0 && advskew == 0) {
            throw new IllegalArgumentException("--advbase 0 with --advskew 0 gives no advertisement interval"
                    + " (expected: --advbase 1..255, or --advskew 1..255 for a sub-second interval)");
        }
        // ucarp-spec §4.12, §8: 255/255 is the bow-out advert; backups would take over on every one.
        if (advbase == Timing.BOW_OUT_ADVBASE && advskew == Timing.BOW_OUT_ADVSKEW) {
            throw new IllegalArgumentException("--advbase 255 with --advskew 255 is the bow-out advert that"
                    + " makes backups take over at once (expected: --advskew 0..254 with --advbase 255)");
        }
        if (srcip == null) {
            throw new IllegalArgumentException("--srcip is missing (expected: this node's IPv4 address on the link)");
        }
        return this;
    }

    private static void requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    option + " " + value + " is out of range (expected: " + min + ".." + max + ")");
        }
    }
}
