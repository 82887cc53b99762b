package dev.karp.cli;

import static dev.karp.lab.NetnsLab.SETTLE;
import static dev.karp.lab.NetnsLab.VIP;
import static dev.karp.lab.NetnsLab.settles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12 item 4: a second {@code karp run} for the interface and vhid of a running one exits 2, names the
 * first, and changes nothing; the master keeps its VIP. Item 8: a second karp for another vhid that meets the
 * first one's status port says "choose another" once.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(180)
class SecondInstanceIT {
    private NetnsLab k;
    private LabHost n1;

    @BeforeEach
    void buildLab() throws IOException {
        k = NetnsLab.create(1);
        n1 = k.node(1);
    }

    @AfterEach
    void closeLab() {
        k.close();
    }

    @Test
    void aSecondRunForTheSameInterfaceAndVhidExitsTwoAndTheMasterKeepsItsVip() throws Exception {
        // given a master
        LabProcess first = k.startKarpAsMaster(n1);
        assertThat(settles(() -> k.heldBy(n1))).as(k.logs()).isTrue();
        long transitions = k.fetch(n1).transitions();

        // when a second karp starts on the same node, interface and vhid, with another status port
        LabProcess second = k.startKarp(n1, "--status-addr", "127.0.0.1:9300");
        Optional<Integer> exit = second.waitFor(SETTLE);

        // then it is refused at once, naming the first, and the master holds the VIP as before
        assertThat(exit).as(k.logs()).contains(ExitCodes.USAGE);
        assertThat(second.logText()).contains("karp: another karp already runs vhid 7 on " + n1.iface() + " (pid "
                + first.pid() + "); nothing was changed").doesNotContain("removed " + VIP);
        assertThat(settles(() -> k.heldBy(n1) && k.state(n1).equals("MASTER"))).as(k.logs()).isTrue();
        assertThat(k.fetch(n1).transitions()).isEqualTo(transitions);
        assertThat(first.isAlive()).isTrue();
    }

    @Test
    void aSecondRunForAnotherVhidOnTheSameStatusPortSaysChooseAnotherOnce() throws Exception {
        // given a master with the default status address
        k.startKarpAsMaster(n1);

        // when another group's karp starts with the same (default) status address
        LabProcess other = k.startKarp(n1, "-v", "8", "--vip", "10.200.0.101/24");
        Optional<Integer> exit = other.waitFor(SETTLE);

        // then it fails in one line that says what to do once
        assertThat(exit).as(k.logs()).contains(ExitCodes.FAILURE);
        String line = other.logText().lines().filter(l -> l.startsWith("karp: cannot")).findFirst().orElse("");
        assertThat(line).startsWith("karp: cannot listen on 127.0.0.1:9241 for the status endpoint: ")
                .endsWith("; choose another --status-addr or 'off'");
        assertThat(line.split("choose another", -1)).hasSize(2);
        assertThat(k.heldBy(n1)).isTrue();
    }
}
