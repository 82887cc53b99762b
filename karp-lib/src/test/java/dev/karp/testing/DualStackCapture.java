package dev.karp.testing;

import dev.karp.carp.Advert;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpSender;
import dev.karp.carp.Destination;
import dev.karp.carp.GratuitousArp;
import dev.karp.carp.MacAddress;
import dev.karp.carp.NeighborAdvertisement;
import dev.karp.carp.VipAddresses;
import dev.karp.net.IpAddresses;
import dev.karp.sniff.CapturedFrame;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code src/test/resources/sniff/dual-stack.pcap}: a dual-stack vhid as karp's encoder sends it, not a
 * capture of real traffic. vhid 7, password {@link Vectors#PASSWORD}, addresses 10.200.0.100 and
 * fd00:200::100. Node A (10.200.0.11, fe80::11, advskew 0) is master for three intervals, sending an
 * IPv4 and an IPv6 advert with the same counter each second; it falls silent; node B (10.200.0.12,
 * fe80::12, advskew 100) takes over 3.5 s after A's last advert with a gratuitous ARP, an unsolicited
 * neighbour advertisement and three intervals of adverts. 14 frames. {@link #frames()} builds it;
 * a test checks the file is exactly that ({@code main} rewrites it).
 */
public final class DualStackCapture {
    public static final String RESOURCE = "/sniff/dual-stack.pcap";
    public static final Inet6Address VIP6 = (Inet6Address) IpAddresses.parse("fd00:200::100").orElseThrow();
    public static final VipAddresses VIPS = VipAddresses.of(Vectors.VIP, VIP6);
    public static final Inet6Address NODE_A_LL = (Inet6Address) IpAddresses.parse("fe80::11").orElseThrow();
    public static final Inet6Address NODE_B_LL = (Inet6Address) IpAddresses.parse("fe80::12").orElseThrow();
    static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
    static final long FIRST_COUNTER = 0x1122334455667700L;

    private DualStackCapture() {
    }

    public static List<CapturedFrame> frames() {
        CarpHmac hmac = new CarpHmac(Vectors.password());
        List<CapturedFrame> out = new ArrayList<>();
        long counter = FIRST_COUNTER;
        for (int i = 0; i < 3; i++) {
            adverts(out, hmac, Vectors.NODE_A, NODE_A_LL, 0, counter++, START.plusSeconds(i));
        }
        Instant takeover = START.plusMillis(5500);
        MacAddress nicB = MacAddress.parse("02:00:00:00:00:12");
        out.add(new CapturedFrame(takeover, GratuitousArp.frame(nicB, Vectors.VIP)));
        out.add(new CapturedFrame(takeover.plusMillis(1), NeighborAdvertisement.frame(nicB, NODE_B_LL, VIP6)));
        for (int i = 0; i < 3; i++) {
            adverts(out, hmac, Vectors.NODE_B, NODE_B_LL, 100, counter++, takeover.plusMillis(2).plusSeconds(i));
        }
        return out;
    }

    private static void adverts(List<CapturedFrame> out, CarpHmac hmac, Inet4Address v4, Inet6Address v6, int advskew,
            long counter, Instant at) {
        Advert advert = new Advert(Vectors.VHID, 1, advskew, counter);
        CarpSender ipv4 = new CarpSender(v4, Carp.DEFAULT_GROUP, false, VIPS, hmac);
        CarpSender ipv6 = new CarpSender(v6, Destination.IPV6_GROUP, VIPS, hmac);
        out.add(new CapturedFrame(at, CarpCodec.encode(ipv4, advert, (int) (counter & 0xffff))));
        out.add(new CapturedFrame(at.plus(Duration.ofNanos(200_000)), CarpCodec.encode(ipv6, advert, 0)));
    }

    /** The committed capture's frames. */
    public static List<CapturedFrame> read() {
        InputStream in = DualStackCapture.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("no " + RESOURCE + " on the class path");
        }
        return PcapReader.read(in);
    }

    /** Rewrites the resource: {@code DualStackCapture karp-lib/src/test/resources/sniff/dual-stack.pcap}. */
    public static void main(String[] args) throws IOException {
        PcapWriter.write(Path.of(args[0]), frames());
    }
}
