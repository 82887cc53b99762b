package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import dev.karp.status.StatusSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Active-active: three groups (vhid 1, 2, 3; VIPs 10.200.0.101-103) in one {@code karp run --config} per node,
 * with staggered advskews so that node i is preferred for group i (advskew 0, then 50 on the next node, 100 on
 * the one after) and preemption on. Each node holds exactly one VIP; pulling one node's cable moves only its VIP,
 * to the node next in line, and it comes back when the cable does. Waits are bounded; nothing is timed.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(180)
class GroupsActiveActiveIT extends ThreeNodeLab {
    private static final List<String> VIPS = List.of("10.200.0.101", "10.200.0.102", "10.200.0.103");

    /** The config of node {@code i} (1..3): group g prefers node g, then node g+1, then node g+2. */
    private Path config(int i, LabHost node) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("interface: eth0\n");
        y.append("srcip: ").append(node.address()).append('\n');
        y.append("password-file: ").append(lab.passwordFile()).append('\n');
        y.append("preempt: true\n");
        y.append("groups:\n");
        for (int g = 1; g <= 3; g++) {
            int rank = Math.floorMod(i - g, 3);
            y.append("  - vhid: ").append(g).append('\n');
            y.append("    vip: ").append(VIPS.get(g - 1)).append("/24\n");
            y.append("    advskew: ").append(50 * rank).append('\n');
        }
        Path file = lab.dir().resolve("groups-" + node.label() + ".yaml");
        Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private LabProcess start(int i, LabHost node) throws IOException {
        return lab.start(node, "karp-" + node.label(),
                NetnsLab.karp("run", "--config", config(i, node).toString()).toArray(String[]::new));
    }

    /** Who holds each VIP now, in group order: one list of holders per group. */
    private List<List<LabHost>> layout() {
        try {
            return List.of(lab.holders(VIPS.get(0)), lab.holders(VIPS.get(1)), lab.holders(VIPS.get(2)));
        } catch (IOException e) {
            return List.of();
        }
    }

    private boolean layoutIs(LabHost g1, LabHost g2, LabHost g3) {
        return layout().equals(List.of(List.of(g1), List.of(g2), List.of(g3)));
    }

    private void startAllAndAwaitActiveActive() throws IOException {
        start(1, n1);
        start(2, n2);
        start(3, n3);
        boolean spread = settles(() -> layoutIs(n1, n2, n3));
        assertThat(spread).as("each node holds its own group's VIP; layout %s; logs:%n%s", layout(), lab.logs())
                .isTrue();
    }

    @Test
    void eachNodeHoldsExactlyOneVipAndTheStatusShowsEveryGroup() throws Exception {
        // given three nodes with three groups each
        startAllAndAwaitActiveActive();

        // then every node's /status lists the three groups, MASTER of its own and BACKUP of the others
        List<LabHost> nodes = List.of(n1, n2, n3);
        for (int i = 1; i <= 3; i++) {
            LabHost n = nodes.get(i - 1);
            StatusSnapshot s = lab.fetch(n);
            assertThat(s.groups()).extracting(StatusSnapshot::vhid).as("groups on %s", n).containsExactly(1, 2, 3);
            for (StatusSnapshot g : s.groups()) {
                assertThat(g.state()).as("vhid %d on %s", g.vhid(), n).isEqualTo(g.vhid() == i ? "MASTER" : "BACKUP");
                assertThat(g.vips()).containsExactly(VIPS.get(g.vhid() - 1) + "/24");
                assertThat(g.counters().rejected()).as("rejected adverts of vhid %d on %s", g.vhid(), n).isEmpty();
            }
            // the top-level fields are the first group's (what single-group clients read)
            assertThat(s.vhid()).isEqualTo(1);
            assertThat(s.state()).isEqualTo(i == 1 ? "MASTER" : "BACKUP");
        }
        // and 'karp status' names all three groups with their states
        ExecResult text = lab.runKarp(n2, "status");
        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).contains("3 groups", "vhid 1 BACKUP", "vhid 2 MASTER", "vhid 3 BACKUP");
        // and the client reaches each VIP at its node
        for (int g = 1; g <= 3; g++) {
            assertThat(lab.ping(lab.client(), VIPS.get(g - 1), 3, Duration.ofSeconds(3))).as("ping %s", VIPS.get(g - 1))
                    .isTrue();
            assertThat(lab.neighMac(lab.client(), VIPS.get(g - 1))).hasValue(nodes.get(g - 1).mac());
        }
    }

    @Test
    void anUnpluggedNodesVipAloneMovesAndComesBackWithItsCable() throws IOException {
        // given
        startAllAndAwaitActiveActive();

        // when n2's cable is pulled
        lab.linkDown(n2);

        // then vhid 2 moves to n3 (next in line for it), and vhid 1 and 3 never leave n1 and n3
        boolean moved = Await.until(FAILOVER, () -> {
            List<List<LabHost>> l = layout();
            if (l.isEmpty()) {
                return false;
            }
            assertThat(l.get(0)).as("vhid 1 while n2 is unplugged").containsExactly(n1);
            assertThat(l.get(2)).as("vhid 3 while n2 is unplugged").containsExactly(n3);
            return l.get(1).equals(List.of(n3));
        });
        assertThat(moved).as("vhid 2 moves to n3 alone; layout %s; logs:%n%s", layout(), lab.logs()).isTrue();
        assertThat(Await.holdsFor(Duration.ofSeconds(3), () -> layoutIs(n1, n3, n3))).as(lab.logs()).isTrue();
        assertThat(lab.fetch(n3).groups()).extracting(StatusSnapshot::state).containsExactly("BACKUP", "MASTER", "MASTER");
        assertThat(lab.ping(lab.client(), VIPS.get(1), 3, Duration.ofSeconds(3))).isTrue();

        // and when the cable is back, n2 (preempt, advskew 0 for vhid 2) takes vhid 2 back, and only that
        lab.linkUp(n2);
        boolean back = settles(() -> layoutIs(n1, n2, n3));
        assertThat(back).as("layout %s; logs:%n%s", layout(), lab.logs()).isTrue();
    }
}
