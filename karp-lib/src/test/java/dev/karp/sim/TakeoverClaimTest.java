package dev.karp.sim;

import static dev.karp.sim.NodeSpec.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The claim before a takeover by timeout (docs/protocol.md): backups at the same advskew that lose their master
 * in the same instant never hold the VIP together, whatever the LAN's delays and however late their timers fire.
 */
class TakeoverClaimTest {

    /** Live nodes holding the VIP after every step; a killed node keeps its VIP (the kernel's), and is left out. */
    private static List<String> liveHolders(SimulatedLan lan) {
        List<String> holders = new ArrayList<>();
        for (SimNode n : lan.nodes()) {
            if (n.alive() && !n.vipsHeld().isEmpty()) {
                holders.add(n.name());
            }
        }
        return holders;
    }

    @Test
    void afterTheMasterIsKilledAtMostOneLiveBackupEverHoldsTheVip() {
        for (long seed = 1; seed <= 40; seed++) {
            List<String> violations = new ArrayList<>();
            var lan = SimulatedLan.of(node("a"), node("b"), node("c"))
                    .seed(seed)
                    .delay(Duration.ofNanos(50_000), Duration.ofMillis(3))
                    .timerLateness(Duration.ofMillis(30));
            lan.afterEveryStep(l -> {
                List<String> holders = liveHolders(l);
                if (holders.size() > 1) {
                    violations.add(l.elapsed() + ": " + holders);
                }
            });
            lan.start();
            lan.advance(Duration.ofSeconds(10));
            String master = lan.masters().get(0);

            lan.kill(master);
            lan.advance(Duration.ofSeconds(10));

            assertThat(violations).as("seed %d: %s", seed, lan.describe()).isEmpty();
            assertThat(lan.masters()).as("seed %d", seed).hasSize(1).doesNotContain(master);
            assertThat(liveHolders(lan)).as("seed %d", seed).hasSize(1);
        }
    }
}
