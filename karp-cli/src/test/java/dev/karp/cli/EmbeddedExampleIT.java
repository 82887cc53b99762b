package dev.karp.cli;

import static dev.karp.lab.NetnsLab.FAILOVER;
import static dev.karp.lab.NetnsLab.SETTLE;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.Exec;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.lab.ThreeNodeLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded example (examples/embedded: {@code dev.karp.VipFailover} in a program of its own) in one
 * group with {@code karp run}: the VIP moves from karp to the example and back, and the example prints
 * each change and exits 0 on SIGTERM.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(300)
class EmbeddedExampleIT extends ThreeNodeLab {
    private static final Set<String> STATES = Set.of("INIT", "BACKUP", "MASTER", "STOPPED");
    private static Path exampleJar;

    /**
     * The example's jar: 'mvn verify' builds it (the root pom lists the example as a module); a run of
     * karp-cli alone builds it here, against the karp-lib in the local repository.
     */
    @BeforeAll
    static void exampleJar() throws IOException {
        Path jar = Path.of(System.getProperty("karp.embedded.jar",
                "../examples/embedded/target/karp-embedded.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            Path pom = jar.getParent().resolveSibling("pom.xml");
            ExecResult build = Exec.run(Duration.ofMinutes(5), List.of("mvn", "-B", "-o", "-q", "-f", pom.toString(),
                    "package"));
            assertThat(build.exitCode()).as("mvn -B -o -f %s package (karp-lib must be installed: mvn install)%n%s%s",
                    pom, build.stdout(), build.stderr()).isZero();
        }
        assertThat(jar).isRegularFile();
        exampleJar = jar;
    }

    @Test
    void theVipMovesFromKarpToTheExampleAndBackAndTheExampleExits0OnSigterm() throws IOException {
        // given: karp run master on n1; the example as backups on n2 (advskew 50) and n3 (advskew 100)
        LabProcess karp = lab.startKarpAsMaster(n1, "--advskew", "0");
        LabProcess b = startExample(n2, 50);
        LabProcess c = startExample(n3, 100);
        boolean settled = settles(() -> lab.heldBy(n1) && lastState(b).equals("BACKUP")
                && lastState(c).equals("BACKUP"));
        assertThat(settled).as("n1 holds the VIP, the examples print BACKUP; logs:%n%s", lab.logs()).isTrue();

        // when karp on n1 stops (it bows out)
        karp.term();
        assertThat(karp.waitFor(Duration.ofSeconds(10))).as(karp.logText()).hasValue(0);

        // then the example on n2 takes the VIP and says so; n3 stays backup
        boolean tookOver = Await.until(FAILOVER, () -> lab.heldBy(n2) && lastState(b).equals("MASTER"));
        assertThat(tookOver).as("the example on n2 holds the VIP; logs:%n%s", lab.logs()).isTrue();
        assertThat(lastState(c)).isEqualTo("BACKUP");
        assertThat(lab.clientReachesVipAt(n2.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();

        // when karp comes back on n1 with --preempt
        lab.startKarp(n1, "--advskew", "0", "--preempt");

        // then it takes the VIP back and the example on n2 prints BACKUP
        boolean tookBack = Await.until(SETTLE, () -> lab.heldBy(n1) && lastState(b).equals("BACKUP"));
        assertThat(tookBack).as("karp on n1 holds the VIP again; logs:%n%s", lab.logs()).isTrue();
        assertThat(lab.clientReachesVipAt(n1.mac())).as("neigh %s", lab.clientNeighMac()).isTrue();

        // and SIGTERM stops an example with exit code 0, leaving the VIP where it is
        b.term();
        assertThat(b.waitFor(Duration.ofSeconds(10))).as(b.logText()).hasValue(0);
        assertThat(Await.holdsFor(Duration.ofSeconds(3), () -> lab.heldBy(n1))).as(lab.logs()).isTrue();
        assertThat(c.isAlive()).isTrue();
    }

    private LabProcess startExample(LabHost node, int advskew) throws IOException {
        List<String> argv = NetnsLab.javaJar(exampleJar, "--interface", node.iface(), "--vhid", "7",
                "--password-file", lab.passwordFile().toString(), "--vip", NetnsLab.VIP + "/24",
                "--advskew", Integer.toString(advskew));
        return lab.start(node, "example-" + node.label(), argv.toArray(String[]::new));
    }

    /** The state the example printed last (each change is a line starting with the new state), or "none". */
    private static String lastState(LabProcess example) {
        List<String> states = example.logText().lines().map(l -> l.split(" ", 2)[0]).filter(STATES::contains)
                .toList();
        return states.isEmpty() ? "none" : states.get(states.size() - 1);
    }
}
