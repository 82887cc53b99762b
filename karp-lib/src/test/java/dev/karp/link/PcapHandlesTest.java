package dev.karp.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The words of pcap failures, shared by the daemon's link and sniff; opening itself is in the netns tests. */
class PcapHandlesTest {

    @Test
    void thePermissionDetailIsTheErrnoTextOfLibpcapsMessage() {
        assertThat(PcapHandles.permissionDetail("socket: Operation not permitted")).isEqualTo("Operation not permitted");
        assertThat(PcapHandles.permissionDetail(
                "eth0: You don't have permission to capture on that device (socket: Operation not permitted)"))
                .isEqualTo("Operation not permitted");
        assertThat(PcapHandles.permissionDetail(null)).isEqualTo("Operation not permitted");
    }

    @Test
    void aMissingPermissionNamesTheInterfaceTheErrnoAndTheCallersFix() {
        assertThat(PcapHandles.notPermitted("eth0", "socket: Operation not permitted", "karp needs CAP_NET_RAW and CAP_NET_ADMIN"))
                .isEqualTo("cannot capture on eth0: Operation not permitted; karp needs CAP_NET_RAW and CAP_NET_ADMIN");
    }

    @Test
    void aMissingInterfaceListsThoseThereAre() {
        assertThat(PcapHandles.interfaceNotFound("eth9", List.of("lo", "eth0")))
                .isEqualTo("interface eth9 not found (available: lo, eth0); check --interface");
    }

    @Test
    void aMissingLibpcapNamesThePackageOnOneLine() {
        PcapHandles.OpenException e = PcapHandles.noLibpcap(
                new UnsatisfiedLinkError("Unable to load library 'pcap':\nlibpcap.so: cannot open shared object file"));

        assertThat(e.failure()).isEqualTo(PcapHandles.Failure.NO_LIBPCAP);
        assertThat(e).hasMessage("cannot load libpcap (Unable to load library 'pcap':); install it: apt-get install"
                + " libpcap0.8 (Debian, Ubuntu) or your distribution's libpcap package");
    }

    @Test
    void aLiveCaptureOnAMissingInterfaceIsNoSuchInterface() {
        // libpcap reports a missing device before any privilege is needed
        try {
            PcapHandles.openLive(new PcapHandles.Live("karp-no-such0", 1500, false, 100, 0, "arp", "fix"),
                    () -> List.of("lo"));
            throw new AssertionError("opened a missing interface");
        } catch (PcapHandles.OpenException e) {
            assertThat(e.failure()).isIn(PcapHandles.Failure.NO_SUCH_INTERFACE, PcapHandles.Failure.NO_LIBPCAP);
            if (e.failure() == PcapHandles.Failure.NO_SUCH_INTERFACE) {
                assertThat(e).hasMessage("interface karp-no-such0 not found (available: lo); check --interface");
            }
        }
    }
}
