package dev.karp.sim;

import dev.karp.carp.MacAddress;
import dev.karp.link.Link;
import dev.karp.link.LinkException;
import dev.karp.link.LinkState;
import dev.karp.link.ReceivedFrame;
import java.time.Duration;
import java.util.Optional;

/**
 * A node's {@link Link} on the {@link SimulatedLan}: frames sent go to the LAN, which delivers them
 * later into the node's inbox; {@link #receive} never blocks, because the LAN moves the time and
 * calls the daemon's loop only when something is due.
 */
final class SimLink implements Link {
    private final SimulatedLan lan;
    private final SimNode node;
    private final MacAddress mac;

    SimLink(SimulatedLan lan, SimNode node) {
        this.lan = lan;
        this.node = node;
        this.mac = MacAddress.parse(String.format("02:00:00:00:01:%02x", node.index + 1));
    }

    @Override
    public String name() {
        return "eth0";
    }

    @Override
    public int index() {
        return 2;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public void send(byte[] frame) throws LinkException {
        if (!node.linkUp) {
            throw new LinkException("cannot send on eth0: Network is down");
        }
        lan.transmit(node, frame);
    }

    @Override
    public Optional<ReceivedFrame> receive(Duration timeout) {
        byte[] frame = node.inbox.pollFirst();
        return frame == null ? Optional.empty() : Optional.of(new ReceivedFrame(frame, lan.now()));
    }

    @Override
    public void wakeup() {
        node.wakeupPending = true;
    }

    @Override
    public LinkState state() {
        return node.linkUp ? LinkState.UP : LinkState.NO_CARRIER;
    }

    @Override
    public void close() {
    }
}
