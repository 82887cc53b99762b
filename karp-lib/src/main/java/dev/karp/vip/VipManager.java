package dev.karp.vip;

import dev.karp.net.Cidr;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Adds and removes the VIP on one interface. Idempotent: adding a VIP that is there and removing
 * one that is gone are not errors; the boolean results say whether anything changed, so callers
 * can log it. The election never sees this interface; the daemon calls it on its transitions.
 */
public interface VipManager extends AutoCloseable {

    /** The interface this manager changes, e.g. {@code eth0}. */
    String interfaceName();

    /**
     * Puts {@code vip} on the interface with its prefix length, for good ({@code add(vip, Optional.empty())}).
     * An IPv6 VIP is added without duplicate address detection: usable at once, never tentative.
     *
     * @return true if it was added now, false if that address with that prefix was already there
     */
    default boolean add(Cidr vip) throws VipException {
        return add(vip, Optional.empty());
    }

    /**
     * Puts {@code vip} on the interface with its prefix length and, when {@code lifetime} is given, a finite
     * lifetime (valid and preferred, rounded up to whole seconds): the kernel removes the address by itself
     * when it runs out unless {@link #renew} extends it first, so a VIP cannot outlive a karp that was killed
     * or frozen. An address already there keeps the lifetime it has until the next {@link #renew}.
     *
     * @return true if it was added now, false if that address with that prefix was already there
     * @throws IllegalArgumentException for a lifetime under one second
     */
    boolean add(Cidr vip, Optional<Duration> lifetime) throws VipException;

    /**
     * Sets the lifetime of {@code vip} (valid and preferred, rounded up to whole seconds) in place: the
     * address stays on the interface and usable throughout, with no removal in between. Cheap (one netlink
     * round trip); meant to be called while master, well before the lifetime runs out. If the address is
     * not there (it expired, or someone removed it), the kernel adds it again, as {@code ip addr replace}.
     *
     * @throws IllegalArgumentException for a lifetime under one second
     */
    void renew(Cidr vip, Duration lifetime) throws VipException;

    /**
     * Takes {@code vip}'s address off the interface, whatever prefix it carries there (a VIP left
     * as /24 by a UCarp upscript is removed by a karp configured for /32).
     *
     * @return true if something was removed, false if the address was not there
     */
    boolean remove(Cidr vip) throws VipException;

    /**
     * The addresses on the interface, any prefix length: {@link #list()} for membership tests. A shared manager
     * (several groups on one interface) makes the set once per read instead of each group scanning the list.
     */
    default Set<InetAddress> addresses() throws VipException {
        Set<InetAddress> out = new HashSet<>();
        for (Cidr a : list()) {
            out.add(a.address());
        }
        return out;
    }

    /** True when {@code vip}'s address is on the interface, with any prefix length. */
    default boolean isPresent(Cidr vip) throws VipException {
        for (Cidr a : list()) {
            if (a.sameAddress(vip)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every address on the interface, the node's own included: IPv4 first (primary first), then IPv6 (link-local
     * ones included). Callers that want one family filter on {@link Cidr#isIpv4()}.
     */
    List<Cidr> list() throws VipException;

    /**
     * A lifetime in whole seconds as the kernel takes it, rounded up.
     *
     * @throws IllegalArgumentException under one second or beyond what the kernel holds (about 136 years)
     */
    static long lifetimeSeconds(Duration lifetime) {
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("VIP lifetime " + lifetime + " is too short (expected: 1 s or more)");
        }
        long seconds = lifetime.getSeconds() + (lifetime.getNano() > 0 ? 1 : 0);
        if (seconds >= 0xFFFFFFFFL) {
            throw new IllegalArgumentException("VIP lifetime " + lifetime + " is too long (expected: under "
                    + 0xFFFFFFFFL + " s; leave it out for forever)");
        }
        return seconds;
    }

    @Override
    void close();
}
