package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.Cidr;
import org.junit.jupiter.api.Test;

class LinuxHostInterfacesTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void theDefaultRouteIsTheUsableZeroRouteWithTheLowestMetric() {
        // given: a wifi default with metric 600 and a wired one with metric 100
        String route = HEADER
                + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                + "eth0\t0009C80A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                + "eth0\t00000000\t0109C80A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";

        // when / then
        assertThat(LinuxHostInterfaces.defaultRoute(route)).contains("eth0");
    }

    @Test
    void aRouteThatIsNotUpIsIgnored() {
        // given
        String route = HEADER + "eth0\t00000000\t0109C80A\t0002\t0\t0\t0\t00000000\t0\t0\t0\n";

        // when / then
        assertThat(LinuxHostInterfaces.defaultRoute(route)).isEmpty();
    }

    @Test
    void noDefaultRouteGivesNothing() {
        // given
        String route = HEADER + "eth0\t0009C80A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

        // when / then
        assertThat(LinuxHostInterfaces.defaultRoute(route)).isEmpty();
    }

    @Test
    void theLoopbackInterfaceIsListedWithItsAddress() {
        // given: every Linux host (and network namespace with lo up) has lo 127.0.0.1/8

        // when
        var lo = new LinuxHostInterfaces().find("lo");

        // then
        assertThat(lo).isPresent();
        assertThat(lo.get().addresses()).extracting(Cidr::toString).contains("127.0.0.1/8");
    }
}
