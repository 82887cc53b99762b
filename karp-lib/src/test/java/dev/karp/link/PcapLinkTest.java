package dev.karp.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.net.IpAddresses;
import dev.karp.netlink.LinkInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of PcapLink and its error messages; the rest is in PcapLinkNetnsTest. */
class PcapLinkTest {

    @Test
    void theFilterTakesCarpFramesAndWhoAnswersForTheVips() {
        PcapLink.Options o = PcapLink.Options.of("eth0", IpAddresses.parseIpv4("10.200.0.11"));

        assertThat(PcapLink.filter(o)).isEqualTo("(ip proto 112)");
        assertThat(PcapLink.filter(o.withVips(List.of(IpAddresses.parseIpv4("10.200.0.100")))))
                .isEqualTo("(ip proto 112) or (arp and arp[14:4] = 0x0ac80064)");
        assertThat(PcapLink.filter(o.withIpv6((java.net.Inet6Address) IpAddresses.parse("fe80::11").orElseThrow())
                .withVips(List.of(IpAddresses.parse("fd00:200::100").orElseThrow()))))
                .isEqualTo("(ip proto 112) or (ip6 proto 112) or (icmp6 and ip6[40] = 136 and ip6[48:4] = 0xfd000200"
                        + " and ip6[52:4] = 0x00000000 and ip6[56:4] = 0x00000000 and ip6[60:4] = 0x00000100)");
    }

    @Test
    void optionsDefaultToJoiningTheCarpGroup() {
        PcapLink.Options o = PcapLink.Options.of("eth0", IpAddresses.parseIpv4("10.200.0.11"));

        assertThat(o.group().getHostAddress()).isEqualTo("224.0.0.18");
        assertThat(o.joinGroup()).isTrue();
        assertThat(o.withoutGroupJoin().joinGroup()).isFalse();
        assertThat(o.withGroup(IpAddresses.parseIpv4("239.192.0.7")).group().getHostAddress())
                .isEqualTo("239.192.0.7");
    }

    @Test
    void theCaptureRingIsTheDefaultUnlessGivenAndEveryOptionKeepsIt() {
        PcapLink.Options o = PcapLink.Options.of("eth0", IpAddresses.parseIpv4("10.200.0.11"));

        assertThat(o.ringBytes()).isZero();
        PcapLink.Options fast = o.withRing(PcapLink.FAST_RING_BYTES).withoutGroupJoin()
                .withVips(List.of(IpAddresses.parseIpv4("10.200.0.100")));
        assertThat(fast.ringBytes()).isEqualTo(1024 * 1024);
        assertThat(fast.vips()).hasSize(1);
        assertThatThrownBy(() -> o.withRing(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capture ring of -1 bytes (expected: 0 or more)");
    }

    @Test
    void stateFollowsTheUpAndRunningFlags() {
        assertThat(PcapLink.stateOf(link(0x11043))).isEqualTo(LinkState.UP);
        assertThat(PcapLink.stateOf(link(0x1003))).isEqualTo(LinkState.NO_CARRIER);
        assertThat(PcapLink.stateOf(link(0x1002))).isEqualTo(LinkState.ADMIN_DOWN);
    }

    @Test
    void errorMessagesNameTheProblemAndTheFix() {
        assertThat(LinkException.interfaceNotFound("eth9", List.of("lo", "eth0")))
                .hasMessage("interface eth9 not found (available: lo, eth0); check --interface");
        assertThat(LinkException.multicastJoinFailed(IpAddresses.parseIpv4("224.0.0.18"), "eth0", "No such device"))
                .hasMessage("cannot join multicast group 224.0.0.18 on eth0: No such device; check --mcastip,"
                        + " or use --nomcast to send to broadcast");
    }

    private static LinkInfo link(int flags) {
        return new LinkInfo(2, "eth0", flags, new byte[6]);
    }
}
