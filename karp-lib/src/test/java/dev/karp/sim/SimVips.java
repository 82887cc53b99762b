package dev.karp.sim;

import dev.karp.vip.VipAddress;
import dev.karp.vip.VipManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The VIP as configured on a simulated node's host: it outlives the daemon (a killed node keeps
 * it), like an address on a real interface.
 */
final class SimVips implements VipManager {
    private final SimNode node;
    private final VipAddress own;
    private final VipAddress vip;

    SimVips(SimNode node, VipAddress own, VipAddress vip) {
        this.node = node;
        this.own = own;
        this.vip = vip;
    }

    @Override
    public String interfaceName() {
        return "eth0";
    }

    @Override
    public boolean add(VipAddress address) {
        boolean added = !node.vipOnHost;
        node.vipOnHost = true;
        return added;
    }

    @Override
    public boolean remove(VipAddress address) {
        boolean removed = node.vipOnHost;
        node.vipOnHost = false;
        return removed;
    }

    @Override
    public List<VipAddress> list() {
        List<VipAddress> all = new ArrayList<>(List.of(own));
        if (node.vipOnHost) {
            all.add(vip);
        }
        return all;
    }

    @Override
    public void close() {
    }
}
