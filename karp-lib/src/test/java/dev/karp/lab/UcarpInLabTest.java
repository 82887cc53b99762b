package dev.karp.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real UCarp (the Debian package) in the lab: proves the ucarp helper for later interop tests. */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(120)
class UcarpInLabTest {

    /**
     * Two ucarps starting together may both become master for up to a second (ucarp-spec §7.5,
     * caps 01, 12) before the worse one yields; this bounds the wait for the election to settle.
     */
    private static final Duration ELECTION = Duration.ofSeconds(15);

    private NetnsLab lab;

    @BeforeEach
    void buildLab() throws IOException {
        lab = NetnsLab.create(2);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @Test
    void twoUcarpsElectOneMasterAndTheVipLandsOnExactlyOneNode() throws IOException {
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);

        LabProcess a = lab.startUcarp(n1, "--vhid=7", "--pass=s3cret", "--addr=" + NetnsLab.VIP, "--advbase=1",
                "--advskew=0");
        LabProcess b = lab.startUcarp(n2, "--vhid=7", "--pass=s3cret", "--addr=" + NetnsLab.VIP, "--advbase=1",
                "--advskew=50");

        boolean oneHolder = Await.untilStable(ELECTION, Duration.ofSeconds(2), () -> holders().equals(List.of(n1)));

        assertThat(oneHolder).as("VIP on n1 only, for 2 s; events:%n%s", eventsQuietly()).isTrue();
        assertThat(a.isAlive()).isTrue();
        assertThat(b.isAlive()).isTrue();
        assertThat(a.logText()).doesNotContain("Bad digest");
    }

    @Test
    void theClientReachesTheVipOnTheMasterAndSeesItsMac() throws IOException {
        LabHost n1 = lab.node(1);
        lab.startUcarp(n1, "--vhid=7", "--pass=s3cret", "--addr=" + NetnsLab.VIP, "--advskew=0");
        lab.startUcarp(lab.node(2), "--vhid=7", "--pass=s3cret", "--addr=" + NetnsLab.VIP, "--advskew=50");
        Await.untilStable(ELECTION, Duration.ofSeconds(2), () -> holders().equals(List.of(n1)));

        boolean reached = lab.ping(lab.client(), NetnsLab.VIP, 1, Duration.ofSeconds(3));

        assertThat(reached).isTrue();
        assertThat(lab.neighMac(lab.client(), NetnsLab.VIP)).hasValue(n1.mac());
    }

    private List<LabHost> holders() {
        try {
            return lab.holders(NetnsLab.VIP);
        } catch (IOException e) {
            return List.of();
        }
    }

    private String eventsQuietly() {
        try {
            return lab.events();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
