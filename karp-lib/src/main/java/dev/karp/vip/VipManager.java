package dev.karp.vip;

import dev.karp.net.Cidr;
import java.util.List;

/**
 * Adds and removes the VIP on one interface. Idempotent: adding a VIP that is there and removing
 * one that is gone are not errors; the boolean results say whether anything changed, so callers
 * can log it. The election never sees this interface; the daemon calls it on its transitions.
 */
public interface VipManager extends AutoCloseable {

    /** The interface this manager changes, e.g. {@code eth0}. */
    String interfaceName();

    /**
     * Puts {@code vip} on the interface with its prefix length.
     *
     * @return true if it was added now, false if that address with that prefix was already there
     */
    boolean add(Cidr vip) throws VipException;

    /**
     * Takes {@code vip}'s address off the interface, whatever prefix it carries there (a VIP left
     * as /24 by a UCarp upscript is removed by a karp configured for /32).
     *
     * @return true if something was removed, false if the address was not there
     */
    boolean remove(Cidr vip) throws VipException;

    /** True when {@code vip}'s address is on the interface, with any prefix length. */
    default boolean isPresent(Cidr vip) throws VipException {
        for (Cidr a : list()) {
            if (a.sameAddress(vip)) {
                return true;
            }
        }
        return false;
    }

    /** Every IPv4 address on the interface, the node's own included, primary first. */
    List<Cidr> list() throws VipException;

    @Override
    void close();
}
