package dev.karp.vip;

import dev.karp.net.Cidr;
import dev.karp.net.IpAddresses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.karp.lab.LabHost;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12 item 6: removing the VIP never removes the node's own address, even when the VIP has become the
 * interface's primary address (Linux deletes a primary's secondaries with it unless promote_secondaries is set).
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(60)
class VipRemovalKeepsNodeAddressNetnsTest {
    private static final Cidr VIP = Cidr.parse("10.200.0.100/24");

    private NetnsLab lab;
    private LabHost n1;
    private NetlinkVipManager vips;

    @BeforeEach
    void open() throws Exception {
        lab = NetnsLab.create(1);
        n1 = lab.node(1);
        NetnsThread ns1 = lab.thread(n1);
        vips = ns1.call(() -> NetlinkVipManager.open(n1.iface()));
    }

    @AfterEach
    void close() {
        if (vips != null) {
            vips.close();
        }
        lab.close();
    }

    private List<String> inet() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode link : lab.ipAddrJson(n1)) {
            if (!link.path("ifname").asText().equals(n1.iface())) {
                continue;
            }
            for (JsonNode a : link.path("addr_info")) {
                if (a.path("family").asText().equals("inet")) {
                    out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
                }
            }
        }
        return out;
    }

    @Test
    void removingAVipThatBecameThePrimaryKeepsTheNodesAddress() throws Exception {
        // given: the node's address went away and came back (a DHCP renew) while karp held the VIP, so the
        // VIP is now eth0's primary address and the node's address a secondary of it
        String own = n1.address() + "/24";
        lab.exec(n1, "ip", "addr", "del", own, "dev", n1.iface()).orThrow();
        vips.add(VIP);
        lab.exec(n1, "ip", "addr", "add", own, "dev", n1.iface()).orThrow();
        assertThat(inet()).containsExactly(VIP.toString(), own);

        // when
        boolean removed = vips.remove(VIP);

        // then
        assertThat(removed).isTrue();
        assertThat(inet()).containsExactly(own);
    }

    @Test
    void removingASecondaryVipLeavesEverythingElseAsItWas() throws Exception {
        // given
        String own = n1.address() + "/24";
        vips.add(VIP);
        assertThat(inet()).containsExactly(own, VIP.toString());

        // when
        vips.remove(VIP);

        // then
        assertThat(inet()).containsExactly(own);
    }

    @Test
    void theRuleForAPrimaryWithSecondaries() {
        var own = new dev.karp.netlink.AddressInfo(2, 24, 0, IpAddresses.parseIpv4("10.200.0.11"),
                java.util.Optional.empty(), "eth0");
        var vip = new dev.karp.netlink.AddressInfo(2, 24, 0, VIP.ipv4(), java.util.Optional.empty(), "eth0");
        var other = new dev.karp.netlink.AddressInfo(2, 16, 0, IpAddresses.parseIpv4("10.201.0.1"),
                java.util.Optional.empty(), "eth0");

        assertThat(NetlinkVipManager.primaryWithSecondaries(List.of(vip, own), VIP)).isTrue();
        assertThat(NetlinkVipManager.primaryWithSecondaries(List.of(own, vip), VIP)).isFalse();
        assertThat(NetlinkVipManager.primaryWithSecondaries(List.of(vip, other), VIP)).isFalse();
    }
}
