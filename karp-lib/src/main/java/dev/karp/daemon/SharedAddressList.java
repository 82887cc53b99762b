package dev.karp.daemon;

import dev.karp.net.Cidr;
import dev.karp.vip.VipException;
import dev.karp.vip.VipManager;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The VIP manager of an interface shared by its groups: each group's housekeeping reads the interface's addresses
 * once an interval, and a hundred groups would dump the interface a hundred times a second. Here one dump serves
 * every group for {@link #MAX_AGE_NANOS}; any change karp makes itself invalidates it at once, so a group never
 * acts on a list that misses its own add or remove.
 */
final class SharedAddressList implements VipManager {
    /** Well below one advert interval at advbase 1: a VIP someone adds or removes by hand is still seen at once. */
    static final long MAX_AGE_NANOS = 200_000_000L;

    private final VipManager delegate;
    private final LongSupplier nanoTime;
    private List<Cidr> cached;
    /** The addresses of {@link #cached}, made at the first {@link #addresses()} after a read; null until then. */
    private Set<InetAddress> cachedSet;
    private long readAtNanos;

    SharedAddressList(VipManager delegate, LongSupplier nanoTime) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public String interfaceName() {
        return delegate.interfaceName();
    }

    @Override
    public boolean add(Cidr vip, Optional<Duration> lifetime) throws VipException {
        cached = null;
        return delegate.add(vip, lifetime);
    }

    @Override
    public void renew(Cidr vip, Duration lifetime) throws VipException {
        // No new dump: a master renews at every advert, and a renew leaves the list as it was (the VIP is there).
        delegate.renew(vip, lifetime);
    }

    @Override
    public boolean remove(Cidr vip) throws VipException {
        cached = null;
        return delegate.remove(vip);
    }

    @Override
    public List<Cidr> list() throws VipException {
        long now = nanoTime.getAsLong();
        if (cached == null || now - readAtNanos >= MAX_AGE_NANOS) {
            cached = delegate.list();
            cachedSet = null;
            readAtNanos = now;
        }
        return cached;
    }

    @Override
    public Set<InetAddress> addresses() throws VipException {
        List<Cidr> listed = list();
        if (cachedSet == null) {
            // Made once per read for all groups: each group scanning a hundred addresses for its VIP was most of
            // the VIP check's time at a hundred groups (issue 14).
            Set<InetAddress> set = new HashSet<>();
            for (Cidr a : listed) {
                set.add(a.address());
            }
            cachedSet = Set.copyOf(set);
        }
        return cachedSet;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
