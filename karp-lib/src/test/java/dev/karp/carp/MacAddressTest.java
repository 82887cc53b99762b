package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void parsesAndPrintsTheColonForm() {
        MacAddress mac = MacAddress.parse("02:00:00:00:00:11");

        assertThat(mac.value()).isEqualTo(0x020000000011L);
        assertThat(mac).hasToString("02:00:00:00:00:11");
    }

    @Test
    void bytesComeOutInWireOrder() {
        byte[] b = MacAddress.parse("00:00:5e:00:00:c8").bytes();

        assertThat(b).containsExactly(0x00, 0x00, 0x5e, 0x00, 0x00, 0xc8);
        assertThat(MacAddress.of(b)).isEqualTo(MacAddress.parse("00:00:5E:00:00:C8"));
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThatThrownBy(() -> MacAddress.of(new byte[4]))
                .hasMessage("MAC address of 4 bytes (expected: 6)");
        assertThatThrownBy(() -> MacAddress.parse("02-00-00"))
                .hasMessage("'02-00-00' is not a MAC address (expected: xx:xx:xx:xx:xx:xx)");
    }
}
