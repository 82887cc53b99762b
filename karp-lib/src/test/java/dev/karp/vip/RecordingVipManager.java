package dev.karp.vip;

import dev.karp.net.Cidr;
import dev.karp.time.Durations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Map<Cidr, Duration> lifetimes = new HashMap<>();
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
    public synchronized boolean add(Cidr vip, Optional<Duration> lifetime) throws VipException {
        lifetime.ifPresent(VipManager::lifetimeSeconds);
        calls.add("add " + vip + lifetime.map(l -> " lifetime " + Durations.format(l)).orElse(""));
        failIfScripted();
        boolean added = addresses.add(vip);
        if (added) {
            lifetime.ifPresentOrElse(l -> lifetimes.put(vip, l), () -> lifetimes.remove(vip));
        }
        return added;
    }

    @Override
    public synchronized void renew(Cidr vip, Duration lifetime) throws VipException {
        VipManager.lifetimeSeconds(lifetime);
        calls.add("renew " + vip + " lifetime " + Durations.format(lifetime));
        failIfScripted();
        addresses.add(vip);
        lifetimes.put(vip, lifetime);
    }

    @Override
    public synchronized boolean remove(Cidr vip) throws VipException {
        calls.add("remove " + vip);
        failIfScripted();
        lifetimes.keySet().removeIf(a -> a.sameAddress(vip));
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

    /**
     * Every add, renew and remove so far, in order: {@code "add 10.200.0.100/24"},
     * {@code "add 10.200.0.100/24 lifetime 3s"}, {@code "renew 10.200.0.100/24 lifetime 3s"}, {@code "remove ..."}.
     */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The lifetime {@code address} was last added or renewed with; empty if it has none (forever) or is gone. */
    public synchronized Optional<Duration> lifetime(Cidr address) {
        return Optional.ofNullable(lifetimes.get(address));
    }

    /** The next add, renew or remove throws {@code failure} (queued: several calls fail in order). */
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
