package dev.karp.vip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class VipExceptionTest {

    private static final Cidr VIP = Cidr.parse("10.200.0.100/24");

    @Test
    void operationNotPermittedNamesCapNetAdmin() {
        VipException e = VipException.kernelRefused("add", VIP, "eth0", 1);

        assertThat(e).hasMessage("cannot add 10.200.0.100/24 on eth0: Operation not permitted; karp needs CAP_NET_ADMIN");
        assertThat(e.errno()).isEqualTo(1);
    }

    @Test
    void permissionDeniedAlsoNamesCapNetAdmin() {
        assertThat(VipException.kernelRefused("remove", VIP, "eth0", 13))
                .hasMessage("cannot remove 10.200.0.100/24 from eth0: Permission denied; karp needs CAP_NET_ADMIN");
    }

    @Test
    void aVanishedInterfacePointsAtTheInterfaceOption() {
        assertThat(VipException.kernelRefused("add", VIP, "eth0", 19))
                .hasMessage("cannot add 10.200.0.100/24 on eth0: No such device; the interface disappeared, check --interface");
    }

    @Test
    void otherRefusalsCarryTheTextAndTheNumber() {
        assertThat(VipException.kernelRefused("add", VIP, "eth0", 22))
                .hasMessage("cannot add 10.200.0.100/24 on eth0: Invalid argument (errno 22)");
    }

    @Test
    void aMissingInterfaceListsTheAvailableOnes() {
        assertThat(VipException.interfaceNotFound("eth9", List.of("lo", "eth0")))
                .hasMessage("interface eth9 not found (available: lo, eth0); check --interface");
    }
}
