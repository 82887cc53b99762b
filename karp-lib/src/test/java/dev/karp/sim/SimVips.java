package dev.karp.sim;

import dev.karp.net.Cidr;
import dev.karp.vip.VipManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The VIP as configured on a simulated node's host: it outlives the daemon (a killed node keeps
 * it), like an address on a real interface.
 */
final class SimVips implements VipManager {
    private final SimNode node;
    private final Cidr own;
    private final Cidr vip;

    SimVips(SimNode node, Cidr own, Cidr vip) {
        this.node = node;
        this.own = own;
        this.vip = vip;
    }

    @Override
    public String interfaceName() {
        return "eth0";
    }

    /** The lifetime is not simulated: the LAN's nodes never freeze, and a killed node's VIP stays, as without one. */
    @Override
    public boolean add(Cidr address, Optional<Duration> lifetime) {
        boolean added = !node.vipOnHost;
        node.vipOnHost = true;
        return added;
    }

    @Override
    public void renew(Cidr address, Duration lifetime) {
        node.vipOnHost = true;
    }

    @Override
    public boolean remove(Cidr address) {
        boolean removed = node.vipOnHost;
        node.vipOnHost = false;
        return removed;
    }

    @Override
    public List<Cidr> list() {
        List<Cidr> all = new ArrayList<>(List.of(own));
        if (node.vipOnHost) {
            all.add(vip);
        }
        return all;
    }

    @Override
    public void close() {
    }
}
