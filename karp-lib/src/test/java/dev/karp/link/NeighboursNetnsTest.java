package dev.karp.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.carp.MacAddress;
import dev.karp.lab.LabHost;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.net.IpAddresses;
import dev.karp.netlink.NeighbourInfo;
import dev.karp.netlink.Rtnetlink;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Unicast peers' MACs from n1's neighbour table, in a {@link NetnsLab} with IPv6 whose hosts have not talked yet. */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(90)
class NeighboursNetnsTest {

    private static final Duration RESOLVE = Duration.ofSeconds(5);

    private NetnsLab lab;
    private LabHost n1;
    private LabHost n2;
    private Neighbours neighbours;

    @BeforeEach
    void open() throws Exception {
        lab = NetnsLab.create(2, true);
        n1 = lab.node(1);
        n2 = lab.node(2);
        neighbours = lab.thread(n1).call(() -> Neighbours.open("eth0"));
    }

    @AfterEach
    void close() {
        if (neighbours != null) {
            neighbours.close();
        }
        lab.close();
    }

    @Test
    void anUnknownPeerIsResolvedByTheKernelForBothFamilies() throws Exception {
        InetAddress v4 = ip(n2.address());
        InetAddress v6 = ip(NetnsLab.ipv6Address(n2));
        InetAddress linkLocal = ip(lab.linkLocal(n2));
        Optional<MacAddress> before = neighbours.lookup(v4);

        Optional<MacAddress> mac4 = neighbours.await(v4, RESOLVE);
        Optional<MacAddress> mac6 = neighbours.await(v6, RESOLVE);
        Optional<MacAddress> macLinkLocal = neighbours.await(linkLocal, RESOLVE);

        assertThat(before).isEmpty();
        MacAddress n2Mac = MacAddress.parse(n2.mac());
        assertThat(mac4).hasValue(n2Mac);
        assertThat(mac6).hasValue(n2Mac);
        assertThat(macLinkLocal).hasValue(n2Mac);
        assertThat(lab.neighMac(n1, n2.address())).hasValue(n2.mac());
    }

    @Test
    void resolvingWorksOnABridgeThatDropsMulticast() throws Exception {
        lab.dropMulticast();

        assertThat(neighbours.await(ip(n2.address()), RESOLVE)).hasValue(MacAddress.parse(n2.mac()));
        assertThat(neighbours.await(ip(NetnsLab.ipv6Address(n2)), RESOLVE)).hasValue(MacAddress.parse(n2.mac()));
    }

    @Test
    void aStaleEntryStillCounts() throws Exception {
        lab.exec(n1, "ip", "neigh", "replace", n2.address(), "dev", "eth0", "lladdr", n2.mac(), "nud", "stale")
                .orThrow();

        Optional<NeighbourInfo> entry = neighbours.entry(ip(n2.address()));

        assertThat(entry).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(Rtnetlink.NUD_STALE));
        assertThat(neighbours.lookup(ip(n2.address()))).hasValue(MacAddress.parse(n2.mac()));
    }

    @Test
    void aPeerThatDoesNotAnswerHasNoMacAndAnUnusableEntry() throws Exception {
        InetAddress absent = ip("10.200.0.99");

        Optional<MacAddress> mac = neighbours.await(absent, Duration.ofMillis(500));

        assertThat(mac).isEmpty();
        assertThat(neighbours.entry(absent)).hasValueSatisfying(e -> {
            assertThat(e.isUsable()).isFalse();
            assertThat(e.state() & (Rtnetlink.NUD_INCOMPLETE | Rtnetlink.NUD_FAILED)).isNotZero();
        });
    }

    @Test
    void anUnknownInterfaceIsReportedWithTheAvailableOnes() {
        assertThatThrownBy(() -> lab.thread(n1).call(() -> Neighbours.open("eth9")))
                .isInstanceOf(LinkException.class)
                .hasMessage("interface eth9 not found (available: lo, eth0); check --interface");
    }

    private static InetAddress ip(String literal) {
        return IpAddresses.parse(literal).orElseThrow();
    }
}
