package dev.karp.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.lab.LabHost;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.net.IpAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PcapLink with an IPv6 source, in a {@link NetnsLab} with IPv6: n1 sends hand-built IPv6 CARP frames (the
 * wire layout of carp-v6-unicast.md §4.1; the CARP header's content does not matter to the link), n2's link
 * is under test.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(120)
class PcapLinkIpv6NetnsTest {

    private static final Duration IMMEDIATE = Duration.ofMillis(500);
    private static final Duration QUIET = Duration.ofMillis(300);

    private NetnsLab lab;
    private LabHost n1;
    private LabHost n2;
    private NetnsThread ns2;
    private PcapLink sender;
    private PcapLink link;
    private Inet6Address n1LinkLocal;
    private Inet6Address n2LinkLocal;

    @BeforeEach
    void openLinks() throws Exception {
        lab = NetnsLab.create(2, true);
        n1 = lab.node(1);
        n2 = lab.node(2);
        n1LinkLocal = inet6(lab.linkLocal(n1));
        n2LinkLocal = inet6(lab.linkLocal(n2));
        ns2 = lab.thread(n2);
        sender = lab.thread(n1).call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n1))));
        link = ns2.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n2)).withIpv6(n2LinkLocal)));
    }

    @AfterEach
    void closeLab() {
        if (sender != null) {
            sender.close();
        }
        if (link != null) {
            link.close();
        }
        lab.close();
    }

    @Test
    void anIpv6AdvertFromAnotherNodeArrivesAndSoDoIpv4Ones() throws Exception {
        byte[] v6 = ipv6Carp(n1LinkLocal, 112);
        byte[] v4 = TestFrames.carpAdvert();

        sender.send(v6);
        Optional<ReceivedFrame> first = link.receive(IMMEDIATE);
        sender.send(v4);
        Optional<ReceivedFrame> second = link.receive(IMMEDIATE);

        assertThat(first).map(ReceivedFrame::frame).hasValueSatisfying(f -> assertThat(f).isEqualTo(v6));
        assertThat(second).map(ReceivedFrame::frame).hasValueSatisfying(f -> assertThat(f).isEqualTo(v4));
    }

    @Test
    void ipv6FramesOfOtherProtocolsAndThoseTheLinkSendsItselfAreFilteredOut() throws Exception {
        byte[] forged = ipv6Carp(n2LinkLocal, 112);
        byte[] udp = ipv6Carp(n1LinkLocal, 17);
        byte[] other = ipv6Carp(n1LinkLocal, 112);

        link.send(forged);
        sender.send(udp);
        sender.send(forged);
        sender.send(other);

        // Another host's advert in n2's name is received (issue 16: the daemon reports it as spoofed).
        assertThat(link.receive(IMMEDIATE)).map(ReceivedFrame::frame)
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(forged));
        assertThat(link.receive(IMMEDIATE)).map(ReceivedFrame::frame)
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(other));
        assertThat(link.receive(QUIET)).isEmpty();
    }

    @Test
    void aLinkWithoutIpv6TakesNoIpv6Frames() throws Exception {
        link.close();
        link = ns2.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n2))));

        sender.send(ipv6Carp(n1LinkLocal, 112));

        assertThat(link.receive(QUIET)).isEmpty();
    }

    @Test
    void joinsFf02Colon12OnItsInterfaceUntilClosed() throws Exception {
        String whileOpen = lab.exec(n2, "ip", "maddr", "show", "dev", "eth0").stdout(); // with the link layer's

        link.close();
        String afterClose = lab.exec(n2, "ip", "-6", "maddr", "show", "dev", "eth0").stdout();

        assertThat(whileOpen).contains("ff02::12").contains("33:33:00:00:00:12");
        assertThat(afterClose).doesNotContain("ff02::12");
    }

    @Test
    void withoutIpv6OrWithoutGroupJoinThereIsNoIpv6Membership() throws Exception {
        link.close();
        link = ns2.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n2))));
        String ipv4Only = lab.exec(n2, "ip", "-6", "maddr", "show", "dev", "eth0").stdout();
        link.close();
        link = ns2.call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n2)).withIpv6(n2LinkLocal)
                .withoutGroupJoin()));
        String noJoin = lab.exec(n2, "ip", "-6", "maddr", "show", "dev", "eth0").stdout();

        assertThat(ipv4Only).doesNotContain("ff02::12");
        assertThat(noJoin).doesNotContain("ff02::12");
    }

    @Test
    void theFilterNamesBothFamilies() {
        PcapLink.Options o = PcapLink.Options.of("eth0", ip(n2)).withIpv6(n2LinkLocal);

        assertThat(PcapLink.filter(o)).isEqualTo("(ip proto 112) or (ip6 proto 112)");
        assertThatThrownBy(() -> o.withIpv6(inet6("fd00:200::12")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fd00:200::12 is not a link-local address (expected: fe80::/10, the interface's own)");
    }

    /**
     * An IPv6 frame as a CARP master sends it: 33:33:00:00:00:12 from 00:00:5e:00:00:07, TC 0xE0, hop limit 255,
     * {@code source} to ff02::12, next header {@code nextHeader}, and 36 bytes of CARP header (vhid 7).
     */
    static byte[] ipv6Carp(Inet6Address source, int nextHeader) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 36);
        b.put(new byte[] {0x33, 0x33, 0, 0, 0, 0x12, 0, 0, 0x5e, 0, 0, 7, (byte) 0x86, (byte) 0xdd});
        b.putInt(0x6E000000); // version 6, traffic class 0xE0, flow 0
        b.putShort((short) 36);
        b.put((byte) nextHeader);
        b.put((byte) 255);
        b.put(source.getAddress());
        b.put(PcapLink.CARP_GROUP6.getAddress());
        b.put(new byte[] {0x21, 7, 0, 1, 1, 0, 0, 0}); // version 2 type 1, vhid 7, advskew 0, authlen, demote, advbase 1
        b.put(new byte[28]); // counter, digest (not checked by the link)
        return b.array();
    }

    private static Inet4Address ip(LabHost h) {
        return IpAddresses.parseIpv4(h.address());
    }

    private static Inet6Address inet6(String literal) {
        return (Inet6Address) IpAddresses.parse(literal).orElseThrow();
    }
}
