package dev.karp.link;

import dev.karp.carp.MacAddress;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory {@link Link} on a {@link FakeSegment}. It behaves like {@link PcapLink} where the
 * daemon can tell: the same filter, receive() returning empty on timeout, on {@link #wakeup()}
 * and when the state changes, send() failing while the link is not up. Tests steer it with
 * {@link #setState}, {@link #disconnect()} (a partition: carrier stays), {@link #inject} and
 * {@link #failSends}, and read {@link #sentFrames()}.
 */
public final class FakeLink implements Link {

    private final FakeSegment segment;
    private final String name;
    private final int index;
    private final MacAddress mac;
    private final Inet4Address srcip;
    private final Optional<java.net.Inet6Address> linkLocal;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<ReceivedFrame> inbox = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private LinkState state = LinkState.UP;
    private boolean connected = true;
    private boolean failSends;
    private boolean wakeupPending;
    private boolean statePending;
    private boolean closed;

    FakeLink(FakeSegment segment, String name, int index, MacAddress mac, Inet4Address srcip,
            Optional<java.net.Inet6Address> linkLocal) {
        this.segment = segment;
        this.name = name;
        this.index = index;
        this.mac = mac;
        this.srcip = srcip;
        this.linkLocal = linkLocal;
    }

    /** The IPv6 link-local address the link was attached with, if it takes IPv6 CARP frames. */
    public Optional<java.net.Inet6Address> linkLocal() {
        return linkLocal;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    /** The source address this link's filter excludes. */
    public Inet4Address srcip() {
        return srcip;
    }

    @Override
    public void send(byte[] frame) throws LinkException {
        lock.lock();
        try {
            if (closed) {
                throw new LinkException("cannot send on " + name + ": the link is closed");
            }
            if (state != LinkState.UP) {
                throw new LinkException("cannot send on " + name + ": Network is down");
            }
            if (failSends) {
                throw new LinkException("cannot send on " + name + ": No buffer space available");
            }
            sent.add(frame.clone());
        } finally {
            lock.unlock();
        }
        segment.transmit(this, frame);
    }

    @Override
    public Optional<ReceivedFrame> receive(Duration timeout) throws LinkException {
        long left = Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new LinkException("cannot receive on " + name + ": the link is closed");
                }
                if (wakeupPending || statePending) {
                    wakeupPending = false;
                    statePending = false;
                    return Optional.empty();
                }
                if (!inbox.isEmpty()) {
                    return Optional.of(inbox.removeFirst());
                }
                if (left <= 0) {
                    return Optional.empty();
                }
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeup() {
        signal(() -> wakeupPending = true);
    }

    @Override
    public LinkState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        signal(() -> closed = true);
    }

    // ---- test controls ----

    /** Changes the state as a link event would: a waiting receive() returns empty. */
    public void setState(LinkState newState) {
        signal(() -> {
            state = newState;
            statePending = true;
            if (newState != LinkState.UP) {
                inbox.clear(); // frames queued in a ring are lost when the interface goes down
            }
        });
    }

    /** Cuts this link off the segment (frames neither leave nor arrive); the state stays UP. */
    public void disconnect() {
        signal(() -> connected = false);
    }

    /** Ends {@link #disconnect()}. */
    public void reconnect() {
        signal(() -> connected = true);
    }

    /** Makes send() fail (true) or work again (false), for UCarp's send-error suppression (§4.10). */
    public void failSends(boolean fail) {
        signal(() -> failSends = fail);
    }

    /** A frame arriving from the wire (a scripted peer, say), subject to the filter. */
    public void inject(byte[] frame) {
        arrive(frame, segment.now());
    }

    /** Every frame this link sent, in order (copies). */
    public List<byte[]> sentFrames() {
        lock.lock();
        try {
            List<byte[]> out = new ArrayList<>();
            sent.forEach(f -> out.add(f.clone()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the frames sent so far. */
    public void clearSent() {
        signal(sent::clear);
    }

    boolean isConnected() {
        lock.lock();
        try {
            return connected;
        } finally {
            lock.unlock();
        }
    }

    void arrive(byte[] frame, long nanos) {
        signal(() -> {
            if (connected && !closed && state == LinkState.UP && FakeSegment.passesFilter(frame, srcip, linkLocal)) {
                inbox.addLast(new ReceivedFrame(frame, nanos));
            }
        });
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
