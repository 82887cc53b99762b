package dev.karp.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.karp.lab.LabHost;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.lab.ThreadCapabilities;
import dev.karp.net.Cidr;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** NetlinkVipManager against a real kernel, in node n1 of a {@link NetnsLab}, checked with {@code ip -j addr}. */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(60)
class NetlinkVipManagerNetnsTest {

    private static final Cidr VIP = Cidr.parse("10.200.0.100/24");

    private NetnsLab lab;
    private LabHost n1;
    private NetnsThread ns1;
    private NetlinkVipManager vips;

    @BeforeEach
    void open() throws Exception {
        lab = NetnsLab.create(1);
        n1 = lab.node(1);
        ns1 = lab.thread(n1);
        vips = ns1.call(() -> NetlinkVipManager.open("eth0"));
    }

    @AfterEach
    void close() {
        if (vips != null) {
            vips.close();
        }
        lab.close();
    }

    @Test
    void addPutsTheVipOnTheInterfaceWithItsPrefixAndBroadcast() throws Exception {
        boolean added = vips.add(VIP);

        assertThat(added).isTrue();
        JsonNode inet = inetEntry("10.200.0.100");
        assertThat(inet).isNotNull();
        assertThat(inet.path("prefixlen").asInt()).isEqualTo(24);
        assertThat(inet.path("broadcast").asText()).isEqualTo("10.200.0.255");
        assertThat(inet.path("scope").asText()).isEqualTo("global");
    }

    @Test
    void addingTheVipAgainIsNotAnError() throws Exception {
        vips.add(VIP);

        boolean again = vips.add(VIP);

        assertThat(again).isFalse();
        assertThat(lab.ipv4Addresses(n1, "eth0")).containsExactly("10.200.0.11/24", "10.200.0.100/24");
    }

    @Test
    void aSlash32VipHasNoBroadcast() throws Exception {
        vips.add(Cidr.parse("10.200.0.100/32"));

        JsonNode inet = inetEntry("10.200.0.100");
        assertThat(inet.path("prefixlen").asInt()).isEqualTo(32);
        assertThat(inet.has("broadcast")).isFalse();
    }

    @Test
    void removeTakesTheVipOff() throws Exception {
        vips.add(VIP);

        boolean removed = vips.remove(VIP);

        assertThat(removed).isTrue();
        assertThat(lab.ipv4Addresses(n1, "eth0")).containsExactly("10.200.0.11/24");
    }

    @Test
    void removingAVipThatIsGoneIsNotAnError() throws Exception {
        boolean removed = vips.remove(VIP);

        assertThat(removed).isFalse();
        assertThat(lab.ipv4Addresses(n1, "eth0")).containsExactly("10.200.0.11/24");
    }

    @Test
    void removeTakesTheAddressOffWhateverPrefixItWasAddedWith() throws Exception {
        lab.exec(n1, "ip", "addr", "add", "10.200.0.100/24", "dev", "eth0").orThrow(); // as a UCarp upscript does

        boolean removed = vips.remove(Cidr.parse("10.200.0.100/32"));

        assertThat(removed).isTrue();
        assertThat(lab.hasAddress(n1, "eth0", "10.200.0.100")).isFalse();
    }

    @Test
    void listAndIsPresentShowWhatIsOnTheInterface() throws Exception {
        lab.exec(n1, "ip", "addr", "add", "10.200.0.100/24", "dev", "eth0").orThrow();

        assertThat(vips.list()).extracting(Cidr::toString).containsExactly("10.200.0.11/24", "10.200.0.100/24");
        assertThat(vips.isPresent(Cidr.parse("10.200.0.100/32"))).isTrue();
        assertThat(vips.isPresent(Cidr.parse("10.200.0.101/24"))).isFalse();
    }

    @Test
    void theDefaultPrefixComesFromTheInterfaceSubnet() throws Exception {
        Cidr inSubnet = Cidr.parse("10.200.0.100", vips.list());
        Cidr elsewhere = Cidr.parse("192.0.2.7", vips.list());

        assertThat(inSubnet).hasToString("10.200.0.100/24");
        assertThat(elsewhere).hasToString("192.0.2.7/32");
    }

    @Test
    void anUnknownInterfaceIsReportedWithTheAvailableOnes() {
        assertThatThrownBy(() -> ns1.call(() -> NetlinkVipManager.open("eth9")))
                .isInstanceOf(VipException.class)
                .hasMessage("interface eth9 not found (available: lo, eth0); check --interface");
    }

    @Test
    void anInterfaceDeletedAfterOpeningIsReportedOnTheNextChange() throws Exception {
        lab.deleteInterface(n1);

        assertThatThrownBy(() -> vips.add(VIP))
                .isInstanceOf(VipException.class)
                .hasMessage("interface eth0 not found (available: lo); check --interface");
    }

    @Test
    void withoutCapNetAdminAddingFailsNamingTheCapability() throws Exception {
        try (NetnsThread unprivileged = lab.thread(n1)) {
            NetlinkVipManager m = unprivileged.call(() -> {
                ThreadCapabilities.drop(ThreadCapabilities.CAP_NET_ADMIN);
                return NetlinkVipManager.open("eth0");
            });
            try (m) {
                assertThatThrownBy(() -> unprivileged.call(() -> m.add(VIP)))
                        .isInstanceOf(VipException.class)
                        .hasMessage("cannot add 10.200.0.100/24 on eth0: Operation not permitted;"
                                + " karp needs CAP_NET_ADMIN");
            }
        }
    }

    private JsonNode inetEntry(String ip) throws IOException {
        for (JsonNode link : lab.ipAddrJson(n1)) {
            for (JsonNode a : link.path("addr_info")) {
                if (a.path("family").asText().equals("inet") && a.path("local").asText().equals(ip)) {
                    return a;
                }
            }
        }
        return null;
    }
}
