package dev.karp.vip;

import dev.karp.net.Cidr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link VipManager} in memory: holds the interface's addresses as a set with the same
 * idempotency rules as {@link NetlinkVipManager} (add is keyed by address and prefix, remove by
 * address), and records every add and remove as {@code "add 10.200.0.100/24"} /
 * {@code "remove 10.200.0.100/24"}. Tests can script failures and put addresses there behind
 * the daemon's back (a stale or orphan VIP).
 */
public final class RecordingVipManager implements VipManager {

    private final String interfaceName;
    private final Set<Cidr> addresses = new LinkedHashSet<>();
    private final List<String> calls = new ArrayList<>();
    private final Deque<VipException> failures = new ArrayDeque<>();
    private boolean closed;

    /** A manager for {@code interfaceName} holding {@code initial} (the node's own address, say). */
    public RecordingVipManager(String interfaceName, Cidr... initial) {
        this.interfaceName = interfaceName;
        addresses.addAll(List.of(initial));
    }

    @Override
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public synchronized boolean add(Cidr vip) throws VipException {
        calls.add("add " + vip);
        failIfScripted();
        return addresses.add(vip);
    }

    @Override
    public synchronized boolean remove(Cidr vip) throws VipException {
        calls.add("remove " + vip);
        failIfScripted();
        return addresses.removeIf(a -> a.sameAddress(vip));
    }

    @Override
    public synchronized List<Cidr> list() {
        return List.copyOf(addresses);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    // ---- test controls ----

    /** Every add and remove so far, in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The next add or remove throws {@code failure} (queued: several calls fail in order). */
    public synchronized void failNext(VipException failure) {
        failures.addLast(failure);
    }

    /** An address appearing without the manager (a crash leftover, a person, another tool); not recorded. */
    public synchronized void putBehindTheBack(Cidr address) {
        addresses.add(address);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void failIfScripted() throws VipException {
        VipException f = failures.pollFirst();
        if (f != null) {
            throw f;
        }
    }
}
