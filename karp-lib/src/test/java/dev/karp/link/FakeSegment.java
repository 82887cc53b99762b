package dev.karp.link;

import dev.karp.carp.MacAddress;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * An in-memory Ethernet segment joining {@link FakeLink}s, for daemon tests without root: a
 * frame sent on one link reaches every other connected, running link whose filter it passes,
 * much as the filter {@link PcapLink} compiles: CARP frames from any source (a link never receives its own frames, as
 * the capture reads incoming frames only), ARP frames, and IPv6 neighbour advertisements on IPv6 links.
 */
public final class FakeSegment {

    private final List<FakeLink> links = new CopyOnWriteArrayList<>();
    private final List<byte[]> wire = new CopyOnWriteArrayList<>();
    private final LongSupplier nanoClock;

    /** Receive timestamps from {@link System#nanoTime()}. */
    public FakeSegment() {
        this(System::nanoTime);
    }

    /** Receive timestamps from {@code nanoClock} (a virtual clock, say). */
    public FakeSegment(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A new link on this segment, up and connected; indexes count from 2 (1 is lo). */
    public FakeLink attach(String name, MacAddress mac, Inet4Address srcip) {
        return attach(name, mac, srcip, java.util.Optional.empty());
    }

    /**
     * A new link that also takes IPv6 CARP frames, as a PcapLink opened {@link PcapLink.Options#withIpv6} with
     * {@code linkLocal} does.
     */
    public FakeLink attach(String name, MacAddress mac, Inet4Address srcip,
            java.util.Optional<java.net.Inet6Address> linkLocal) {
        FakeLink link = new FakeLink(this, name, links.size() + 2, mac, srcip, linkLocal);
        links.add(link);
        return link;
    }

    /** Every frame any link put on the wire, in order (copies). */
    public List<byte[]> wire() {
        List<byte[]> out = new ArrayList<>();
        wire.forEach(f -> out.add(f.clone()));
        return out;
    }

    public List<FakeLink> links() {
        return List.copyOf(links);
    }

    void transmit(FakeLink from, byte[] frame) {
        wire.add(frame.clone());
        for (FakeLink to : links) {
            if (to != from && from.isConnected()) {
                to.arrive(frame, nanoClock.getAsLong());
            }
        }
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /**
     * {@link PcapLink#filter}'s BPF program in Java: IPv4 protocol 112 from any source, ARP (the real filter only
     * passes ARP frames from a VIP), and with a link-local address IPv6 next header 112 and neighbour advertisements.
     * Like the kernel's filter it checks nothing else (ucarp-spec §1.6 leaves the rest to the codec).
     */
    static boolean passesFilter(byte[] frame, Inet4Address srcip, java.util.Optional<java.net.Inet6Address> linkLocal) {
        return passesFilter(frame, srcip) || linkLocal.map(ll -> passesIpv6Filter(frame, ll)).orElse(false);
    }

    /** The IPv6 half of {@link PcapLink#filter(PcapLink.Options)}: IPv6, next header 112 or an NA. */
    static boolean passesIpv6Filter(byte[] frame, java.net.Inet6Address linkLocal) {
        if (frame.length < 54 || frame[12] != (byte) 0x86 || frame[13] != (byte) 0xdd || (frame[14] & 0xf0) != 0x60) {
            return false;
        }
        return (frame[20] & 0xff) == 112 || (frame[20] & 0xff) == 58 && frame.length > 54 && (frame[54] & 0xff) == 136;
    }

    static boolean passesFilter(byte[] frame, Inet4Address srcip) {
        if (frame.length >= 42 && frame[12] == 0x08 && frame[13] == 0x06) {
            return true;
        }
        if (frame.length < 34 || frame[12] != 0x08 || frame[13] != 0x00 || (frame[14] & 0xf0) != 0x40) {
            return false;
        }
        return (frame[23] & 0xff) == 112;
    }
}
