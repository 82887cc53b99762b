package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.SETTLE;
import static dev.karp.lab.NetnsLab.STABLE;
import static dev.karp.lab.NetnsLab.VIP;
import static dev.karp.lab.NetnsLab.VIP6;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One vhid with an IPv4 and an IPv6 VIP ({@code --vip 10.200.0.100/24 --vip fd00:200::100/64}) on three
 * {@code karp run}: the two addresses are always on the same node. Every poll reads both families on every node
 * and records any node holding one VIP without the other; crash and SIGTERM failover move both together and the
 * client reaches both through the new master. Waits are bounded; nothing is timed.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(180)
class DualStackFailoverIT extends ThreeNodeLab {
    private static final String[] VIPS = {"--vip", VIP + "/24", "--vip", VIP6 + "/64"};

    /** Nodes that held one family's VIP without the other's on two reads in a row, with what they held. */
    private final List<String> splits = new ArrayList<>();
    /** Killed nodes: the kernel expires their two VIPs one at a time, which is no split of a running karp. */
    private final List<LabHost> dead = new ArrayList<>();

    @Override
    protected boolean withIpv6() {
        return true;
    }

    /** Which of the two VIPs {@code n} holds: 4, 6, 46, or "" (one {@code ip -j addr} dump: both families at once). */
    private String held(LabHost n) throws IOException {
        boolean v4 = false;
        boolean v6 = false;
        for (JsonNode link : lab.ipAddrJson(n)) {
            if (!link.path("ifname").asText().equals(n.iface())) {
                continue;
            }
            for (JsonNode a : link.path("addr_info")) {
                v4 |= a.path("local").asText().equals(VIP);
                v6 |= a.path("local").asText().equals(VIP6);
            }
        }
        return (v4 ? "4" : "") + (v6 ? "6" : "");
    }

    /**
     * The nodes holding both VIPs now. A node that holds only one is read again: karp adds and removes the two
     * addresses in two netlink requests, so one read may fall between them; a node that holds one alone on the
     * second read too is a split, recorded for the test's final assertion.
     */
    private List<LabHost> holdersOfBoth() {
        List<LabHost> both = new ArrayList<>();
        try {
            for (LabHost n : List.of(n1, n2, n3)) {
                String h = held(n);
                if (h.length() == 1 && !dead.contains(n)) {
                    h = held(n);
                    if (h.length() == 1) {
                        splits.add(n + " held only IPv" + h);
                    }
                }
                if (h.equals("46")) {
                    both.add(n);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return both;
    }

    private boolean bothHeldBy(LabHost... expected) {
        return holdersOfBoth().equals(List.of(expected));
    }

    private boolean await(Duration limit, Predicate<List<LabHost>> onHolders) {
        return Await.until(limit, () -> onHolders.test(holdersOfBoth()));
    }

    private List<LabProcess> startClusterOnN1() throws IOException {
        List<LabProcess> p = List.of(lab.startKarpAsMaster(n1, concat(VIPS, "--advskew", "0")),
                lab.startKarp(n2, concat(VIPS, "--advskew", "50")), lab.startKarp(n3, concat(VIPS, "--advskew", "100")));
        boolean settled = Await.untilStable(SETTLE, STABLE, () -> bothHeldBy(n1) && lab.state(n1).equals("MASTER")
                && lab.state(n2).equals("BACKUP") && lab.state(n3).equals("BACKUP"));
        assertThat(settled).as("n1 MASTER with both VIPs, n2 and n3 BACKUP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n1.mac())).as("IPv4 to n1; neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(lab.clientReachesVip6At(VIP6, n1.mac())).as("IPv6 to n1").isTrue();
        return p;
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void bothVipsAreOnTheMasterAndTheClientReachesBothFamilies() throws IOException {
        // given
        startClusterOnN1();

        // then n1's status lists both VIPs, and the backups hear one master for both families
        assertThat(lab.fetch(n1).vips()).containsExactly(VIP + "/24", VIP6 + "/64");
        for (LabHost n : List.of(n2, n3)) {
            assertThat(lab.fetch(n).vipPresent()).as("vipPresent on %s", n).isFalse();
            assertThat(lab.fetch(n).counters().rejected()).as("rejected adverts on %s", n).isEmpty();
        }
        assertThat(Await.holdsFor(Duration.ofSeconds(4), () -> bothHeldBy(n1))).as(lab.logs()).isTrue();
        assertThat(splits).isEmpty();
    }

    @Test
    void whenTheMasterIsKilledBothVipsMoveToTheSameNode() throws IOException {
        // given
        List<LabProcess> p = startClusterOnN1();

        // when karp on n1 dies without any cleanup (both VIPs stay on n1's interface until their lifetime runs out)
        p.get(0).kill();
        dead.add(n1);

        // then n2 takes both, n3 neither, and the client reaches both through n2
        boolean tookOver = await(FAILOVER, h -> h.contains(n2) && !h.contains(n3));
        assertThat(tookOver).as("n2 takes both VIPs; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.state(n2)).isEqualTo("MASTER");
        assertThat(lab.clientReachesVipAt(n2.mac())).as("IPv4 to n2; neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(lab.clientReachesVip6At(VIP6, n2.mac())).as("IPv6 to n2").isTrue();
        assertThat(Await.until(FAILOVER, () -> bothHeldBy(n2))).as("n1's VIPs expired; logs:%n%s", lab.logs()).isTrue();
        assertThat(Await.holdsFor(Duration.ofSeconds(4), () -> bothHeldBy(n2) && lab.state(n3).equals("BACKUP")))
                .as(lab.logs()).isTrue();
        assertThat(splits).as(lab.logs()).isEmpty();
    }

    @Test
    void sigtermOfTheMasterHandsBothVipsOverTogether() throws IOException {
        // given
        List<LabProcess> p = startClusterOnN1();

        // when n1 is asked to stop (it removes both VIPs and bows out)
        p.get(0).term();
        boolean handedOver = await(FAILOVER, h -> h.equals(List.of(n2)));

        // then it exits 0, n2 alone holds both, and the client reaches both through n2
        assertThat(p.get(0).waitFor(Duration.ofSeconds(10))).as(p.get(0).logText()).hasValue(0);
        assertThat(handedOver).as("n2 alone holds both VIPs; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n2.mac())).as("IPv4 to n2; neigh %s", lab.clientNeighMac()).isTrue();
        assertThat(lab.clientReachesVip6At(VIP6, n2.mac())).as("IPv6 to n2").isTrue();
        assertThat(Await.holdsFor(Duration.ofSeconds(4), () -> bothHeldBy(n2) && lab.state(n3).equals("BACKUP")))
                .as(lab.logs()).isTrue();
        assertThat(splits).as(lab.logs()).isEmpty();
    }
}
