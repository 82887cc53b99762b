package dev.karp.link;

import dev.karp.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.net.IpAddresses;
import dev.karp.vip.NetlinkVipManager;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A VIP moving from n1 to n2 the way a failover moves it: the VIP changes node and the new holder
 * sends one gratuitous ARP (ucarp-spec §6) through its PcapLink; the client's neighbour entry must
 * follow without the client asking.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(60)
class GratuitousArpNetnsTest {

    private static final Cidr VIP = Cidr.parse(NetnsLab.VIP + "/24");

    @Test
    void aGratuitousArpFromTheNewHolderUpdatesTheClientsNeighbourEntry() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            NetnsThread ns1 = lab.thread(n1);
            NetnsThread ns2 = lab.thread(n2);
            try (NetlinkVipManager vips1 = ns1.call(() -> NetlinkVipManager.open("eth0"));
                    NetlinkVipManager vips2 = ns2.call(() -> NetlinkVipManager.open("eth0"));
                    PcapLink link2 = ns2.call(() -> PcapLink.open(
                            PcapLink.Options.of("eth0", IpAddresses.parseIpv4(n2.address()))))) {
                vips1.add(VIP);
                assertThat(lab.ping(lab.client(), NetnsLab.VIP, 1, Duration.ofSeconds(3))).isTrue();
                assertThat(lab.neighMac(lab.client(), NetnsLab.VIP)).hasValue(n1.mac());

                vips1.remove(VIP);
                vips2.add(VIP);
                link2.send(TestFrames.gratuitousArp(link2.mac().bytes(), VIP.address().getAddress()));

                boolean followed = Await.until(Duration.ofSeconds(5),
                        () -> neighMac(lab, NetnsLab.VIP).equals(Optional.of(n2.mac())));
                assertThat(followed).as("client's entry: %s", neighMac(lab, NetnsLab.VIP)).isTrue();
                assertThat(lab.ping(lab.client(), NetnsLab.VIP, 1, Duration.ofSeconds(3))).isTrue();
            }
        }
    }

    private static Optional<String> neighMac(NetnsLab lab, String ip) {
        try {
            return lab.neighMac(lab.client(), ip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
