package dev.karp.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** PcapLink against the Debian ucarp on the same segment, frames only (no codec involved). */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(120)
class PcapLinkUcarpTest {

    private static final String[] VHID7 = {"--vhid=7", "--pass=s3cret", "--addr=" + NetnsLab.VIP, "--advbase=1"};

    private NetnsLab lab;
    private LabHost n1;
    private LabHost n2;

    @BeforeEach
    void buildLab() throws IOException {
        lab = NetnsLab.create(2);
        n1 = lab.node(1);
        n2 = lab.node(2);
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }

    @Test
    void receivesTheAdvertsOfARealUcarpMaster() throws Exception {
        lab.startUcarp(n1, with(VHID7, "--advskew=0"));
        try (PcapLink link = lab.thread(n2).call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n2))))) {

            Optional<ReceivedFrame> advert = link.receive(Duration.ofSeconds(10)); // master after ~3 s

            assertThat(advert).isPresent();
            String hex = HexFormat.of().formatHex(advert.get().frame());
            assertThat(advert.get().length()).isEqualTo(70);
            assertThat(hex).startsWith("01005e000012" + "00005e000007" + "0800" + "4510" + "0038");
            assertThat(hex.substring(52, 68)).isEqualTo("0ac8000b" + "e0000012"); // 10.200.0.11 > 224.0.0.18
            assertThat(hex.substring(68, 72)).isEqualTo("2107"); // CARP v2 advertisement, vhid 7
        }
    }

    @Test
    void aRealUcarpMasterYieldsToAnAdvertInjectedThroughPcapLink() throws Exception {
        LabProcess ucarp = lab.startUcarp(n2, with(VHID7, "--advskew=50"));
        assertThat(Await.until(Duration.ofSeconds(15), () -> hasVip(n2))).as("ucarp on n2 became master").isTrue();
        try (PcapLink link = lab.thread(n1).call(() -> PcapLink.open(PcapLink.Options.of("eth0", ip(n1))))) {

            // Cap 02 frame 4 replayed: from 10.200.0.11, advbase 1, advskew 0 beats advskew 50. Its
            // HMAC covers vhid, VIP and counter only (ucarp-spec §2.2), so it verifies here too.
            link.send(TestFrames.carpAdvert());

            assertThat(ucarp.awaitLog("Preferred master advertised", Duration.ofSeconds(5)))
                    .as("ucarp log:%n%s", ucarp.logText()).isTrue();
            assertThat(ucarp.logText()).doesNotContain("Bad digest");
        }
    }

    private boolean hasVip(LabHost h) {
        try {
            return lab.hasAddress(h, "eth0", NetnsLab.VIP);
        } catch (IOException e) {
            return false;
        }
    }

    private static String[] with(String[] common, String extra) {
        String[] out = Arrays.copyOf(common, common.length + 1);
        out[common.length] = extra;
        return out;
    }

    private static Inet4Address ip(LabHost h) {
        return IpAddresses.parseIpv4(h.address());
    }
}
