package dev.karp.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.DigestStatus;
import dev.karp.carp.VipAddresses;
import dev.karp.testing.DualStackCapture;
import dev.karp.testing.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sniff on a dual-stack vhid: IPv4 and IPv6 adverts with one digest over both addresses. */
class SniffDualStackTest {
    static final List<CapturedFrame> FRAMES = DualStackCapture.read();

    static SniffReport analyze(SniffConfig config) {
        return SniffAnalyzer.analyze(config, FRAMES);
    }

    static List<SniffRecord.Carp> carp(SniffReport r) {
        return r.records().stream().filter(SniffRecord.Carp.class::isInstance).map(SniffRecord.Carp.class::cast).toList();
    }

    @Test
    void theCommittedCaptureIsWhatTheEncoderWrites() {
        assertThat(FRAMES).isEqualTo(DualStackCapture.frames());
    }

    @Test
    void bothAddressesVerifyEveryAdvertOfBothFamilies() {
        // when
        SniffReport r = analyze(SniffConfig.withPassword(Vectors.password()).withVips(DualStackCapture.VIPS));

        // then
        assertThat(carp(r)).hasSize(12).allSatisfy(c -> {
            assertThat(c.digest()).isEqualTo(DigestStatus.VALID);
            assertThat(c.problems()).isEmpty();
            assertThat(c.verifiedWith()).contains(DualStackCapture.VIPS);
        });
        assertThat(carp(r).stream().filter(c -> c.packet().isIpv6()).map(SniffRecord::source).distinct())
                .containsExactly(DualStackCapture.NODE_A_LL, DualStackCapture.NODE_B_LL);
    }

    @Test
    void theFamiliesAreTwoMastersOfOneVhidThatDoNotClash() {
        // when
        SniffSummary.Vhid v = analyze(SniffConfig.withPassword(Vectors.password()).withVips(DualStackCapture.VIPS))
                .summary().vhids().get(0);

        // then: A's and B's periods per family, one change per family, never two masters, no replay
        assertThat(v.masters()).extracting(SniffSummary.MasterPeriod::source).containsExactly(
                Vectors.NODE_A, DualStackCapture.NODE_A_LL, Vectors.NODE_B, DualStackCapture.NODE_B_LL);
        assertThat(v.transitions()).extracting(t -> t.from() + " -> " + t.to()).containsExactly(
                Vectors.NODE_A + " -> " + Vectors.NODE_B, DualStackCapture.NODE_A_LL + " -> " + DualStackCapture.NODE_B_LL);
        assertThat(v.dualMasters()).isEmpty();
        assertThat(v.possibleReplays()).isZero();
        assertThat(v.verifiedVips()).containsOnlyKeys(DualStackCapture.VIPS);
    }

    @Test
    void theIpv4VipAloneDoesNotVerifyADualStackDigest() {
        SniffReport r = analyze(SniffConfig.withPassword(Vectors.password()).withVips(VipAddresses.of(Vectors.VIP)));

        assertThat(carp(r)).allSatisfy(c -> assertThat(c.digest()).isEqualTo(DigestStatus.INVALID));
        assertThat(r.summary().vhids().get(0).notes()).contains("no HMAC verified with this password and VIP 10.200.0.100"
                + " for vhid 7: check the password, the vhid and the VIP");
    }

    @Test
    void aLiveAlertSeesNoSplitBrainBetweenTheFamilies() {
        SniffAnalyzer live = SniffAnalyzer.live(SniffConfig.withPassword(Vectors.password()).withVips(DualStackCapture.VIPS));
        SniffAlerts alerts = new SniffAlerts(true);

        List<SniffAlerts.Alert> raised = FRAMES.stream().flatMap(f -> live.offer(f).stream())
                .flatMap(rec -> alerts.offer(rec).stream()).toList();

        assertThat(raised).isEmpty();
    }
}
