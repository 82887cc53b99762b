package dev.karp.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.NetnsThread;
import dev.karp.net.Cidr;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * NetlinkVipManager with IPv6 VIPs and finite lifetimes, in node n1 of a {@link NetnsLab} with IPv6, checked
 * with {@code ip -j addr} and {@code ip monitor address}. n1's eth0 does duplicate address detection here
 * (accept_dad=1), unlike the rest of the lab, so that an address added without IFA_F_NODAD would be tentative.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(90)
class VipIpv6AndLifetimeNetnsTest {

    private static final Cidr VIP4 = Cidr.parse("10.200.0.100/24");
    private static final Cidr VIP6 = Cidr.parse("fd00:200::100/64");

    private NetnsLab lab;
    private LabHost n1;
    private NetnsThread ns1;
    private NetlinkVipManager vips;

    @BeforeEach
    void open() throws Exception {
        lab = NetnsLab.create(1, true);
        n1 = lab.node(1);
        lab.exec(n1, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=1", "net.ipv6.conf.eth0.dad_transmits=3")
                .orThrow();
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
    void anIpv6VipIsUsableTheMomentItIsAdded() throws Exception {
        lab.exec(n1, "ip", "addr", "add", "fd00:200::101/64", "dev", "eth0").orThrow(); // control: with DAD

        boolean added = vips.add(VIP6);
        JsonNode vip = inet6Entry("fd00:200::100");
        boolean clientReachesIt = lab.ping6(lab.client(), "fd00:200::100", 1, Duration.ofSeconds(3));

        assertThat(added).isTrue();
        assertThat(inet6Entry("fd00:200::101").path("tentative").asBoolean(false)).as("control").isTrue();
        assertThat(vip.path("prefixlen").asInt()).isEqualTo(64);
        assertThat(vip.path("tentative").asBoolean(false)).isFalse();
        assertThat(vip.path("nodad").asBoolean(false)).isTrue();
        assertThat(vip.path("scope").asText()).isEqualTo("global");
        assertThat(vip.path("valid_life_time").asLong()).isEqualTo(4294967295L);
        assertThat(clientReachesIt).isTrue();
    }

    @Test
    void addingAnIpv6VipAgainIsNotAnError() throws Exception {
        vips.add(VIP6);

        assertThat(vips.add(VIP6)).isFalse();
        assertThat(vips.add(Cidr.parse("fd00:200::100/128"))).as("an IPv6 address is there once, any prefix").isFalse();
        assertThat(lab.ipv6Addresses(n1, "eth0")).containsOnlyOnce("fd00:200::100/64");
    }

    @Test
    void removeTakesAnIpv6VipOffWhateverPrefixItHas() throws Exception {
        // As a script would leave it; the kernel holds an IPv6 address once, whatever its prefix.
        lab.exec(n1, "ip", "addr", "add", "fd00:200::100/128", "dev", "eth0", "nodad").orThrow();

        boolean removed = vips.remove(VIP6);
        boolean again = vips.remove(VIP6);

        assertThat(removed).isTrue();
        assertThat(again).isFalse();
        assertThat(lab.hasAddress(n1, "eth0", "fd00:200::100")).isFalse();
        assertThat(lab.hasAddress(n1, "eth0", NetnsLab.ipv6Address(n1))).as("the node's own address stays").isTrue();
    }

    @Test
    void listShowsBothFamiliesIpv4First() throws Exception {
        vips.add(VIP4);
        vips.add(VIP6);

        List<Cidr> all = vips.list();

        assertThat(all).extracting(Cidr::toString).startsWith("10.200.0.11/24", "10.200.0.100/24")
                .contains("fd00:200::11/64", "fd00:200::100/64", lab.linkLocal(n1) + "/64");
        assertThat(all.stream().filter(Cidr::isIpv4)).extracting(Cidr::toString)
                .containsExactly("10.200.0.11/24", "10.200.0.100/24");
        assertThat(vips.isPresent(Cidr.parse("fd00:200::100/128"))).isTrue();
        assertThat(Cidr.parse("fd00:200::7", all)).hasToString("fd00:200::7/64");
    }

    @Test
    void aVipWithALifetimeIsNotDeprecatedAndLeavesByItselfWhenItRunsOut() throws Exception {
        vips.add(VIP4, Optional.of(Duration.ofSeconds(2)));
        vips.add(VIP6, Optional.of(Duration.ofMillis(1500))); // rounded up to 2 s
        JsonNode v6 = inet6Entry("fd00:200::100");

        assertThat(v6.path("valid_life_time").asLong()).isBetween(1L, 2L);
        assertThat(v6.path("preferred_life_time").asLong()).isBetween(1L, 2L);
        assertThat(v6.path("deprecated").asBoolean(false)).isFalse();
        assertThat(v6.path("tentative").asBoolean(false)).isFalse();
        assertThat(lab.hasAddress(n1, "eth0", "10.200.0.100")).isTrue();
        boolean gone = Await.until(Duration.ofSeconds(15), () -> !has("10.200.0.100") && !has("fd00:200::100"));
        assertThat(gone).isTrue();
        assertThat(has("10.200.0.11")).as("the node's own addresses stay").isTrue();
        assertThat(has(NetnsLab.ipv6Address(n1))).isTrue();
        assertThat(lab.ping6(lab.client(), NetnsLab.ipv6Address(n1), 1, Duration.ofSeconds(3)))
                .as("the node's own prefix route is untouched").isTrue();
    }

    @Test
    void aVipExpiringAsThePrimaryAddressLeavesTheNodesOwnAddress() throws Exception {
        lab.exec(n1, "ip", "addr", "del", "10.200.0.11/24", "dev", "eth0").orThrow();
        vips.add(VIP4, Optional.of(Duration.ofSeconds(2)));
        lab.exec(n1, "ip", "addr", "add", "10.200.0.11/24", "dev", "eth0").orThrow(); // now a secondary of the VIP

        boolean gone = Await.until(Duration.ofSeconds(15), () -> !has("10.200.0.100"));

        assertThat(gone).isTrue();
        assertThat(lab.ipv4Addresses(n1, "eth0")).containsExactly("10.200.0.11/24");
    }

    @Test
    void renewingEveryHalfSecondKeepsTheVipWithoutAGap() throws Exception {
        LabProcess monitor = lab.start(n1, "monitor", "ip", "-ts", "monitor", "address");
        // A marker address shows that ip monitor has subscribed (bounded wait). It is put again until seen: a
        // monitor that subscribed only after the first add would never report it (CI once waited in vain).
        boolean subscribed = Await.until(Duration.ofSeconds(20), () -> {
            if (monitor.logText().contains("fd00:200::99")) {
                return true;
            }
            try {
                // replace: notified as a new address each time, never as a deletion
                lab.exec(n1, "ip", "addr", "replace", "fd00:200::99/64", "dev", "eth0", "nodad").orThrow();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return monitor.logText().contains("fd00:200::99");
        });
        assertThat(subscribed).as(monitor.logText()).isTrue();
        // 6 s lifetimes renewed every half second: a loaded CI machine may stall a renewal by a second or two,
        // which must not read as a gap (the test is about replace never removing the address, not about timing).
        vips.add(VIP4, Optional.of(Duration.ofSeconds(6)));
        vips.add(VIP6, Optional.of(Duration.ofSeconds(6)));

        // Ten renewals half a second apart: 5 s, with lifetimes longer than that. Presence is read over netlink (in-process, fast)
        // so that a slow machine cannot stretch the gaps between renewals; ip monitor sees every change anyway.
        boolean alwaysThere = true;
        for (int i = 0; i < 10; i++) {
            vips.renew(VIP4, Duration.ofSeconds(6));
            vips.renew(VIP6, Duration.ofSeconds(6));
            alwaysThere &= vips.isPresent(VIP4) && vips.isPresent(VIP6);
            Thread.sleep(500);
        }
        monitor.term();
        monitor.waitFor(Duration.ofSeconds(5));
        String events = monitor.logText();
        vips.renew(VIP6, Duration.ofSeconds(2));
        JsonNode v6 = inet6Entry("fd00:200::100");

        assertThat(alwaysThere).isTrue();
        assertThat(v6.path("deprecated").asBoolean(false)).isFalse();
        assertThat(v6.path("valid_life_time").asLong()).isBetween(1L, 2L);
        assertThat(events).as("ip monitor address").contains("fd00:200::100").doesNotContain("Deleted");
        assertThat(lab.ipv4Addresses(n1, "eth0")).containsOnlyOnce("10.200.0.100/24");
    }

    @Test
    void renewPutsBackAVipThatWasGoneAndCanMakeItLastAgain() throws Exception {
        vips.renew(VIP6, Duration.ofSeconds(30));

        assertThat(inet6Entry("fd00:200::100").path("valid_life_time").asLong()).isBetween(29L, 30L);
        assertThat(inet6Entry("fd00:200::100").path("nodad").asBoolean(false)).isTrue();
    }

    @Test
    void anIpv6VipOnAnInterfaceWithoutIpv6SaysHowToEnableIt() throws Exception {
        lab.exec(n1, "sysctl", "-qw", "net.ipv6.conf.eth0.disable_ipv6=1").orThrow();

        assertThatThrownBy(() -> vips.add(VIP6))
                .isInstanceOf(VipException.class)
                .hasMessage("cannot add fd00:200::100/64 on eth0: IPv6 is disabled on eth0; enable it"
                        + " (sysctl -w net.ipv6.conf.eth0.disable_ipv6=0)");
    }

    @Test
    void aLifetimeUnderOneSecondIsRefused() {
        assertThatThrownBy(() -> vips.add(VIP4, Optional.of(Duration.ofMillis(999))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("VIP lifetime PT0.999S is too short (expected: 1 s or more)");
    }

    private boolean has(String ip) {
        try {
            return lab.hasAddress(n1, "eth0", ip);
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode inet6Entry(String ip) throws IOException {
        List<JsonNode> entries = lab.inet6Entries(n1, "eth0");
        return entries.stream().filter(a -> a.path("local").asText().equals(ip)).findFirst()
                .orElseThrow(() -> new AssertionError(ip + " is not on eth0: " + entries));
    }
}
