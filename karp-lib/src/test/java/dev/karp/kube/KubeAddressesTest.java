package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The address forms the Kubernetes commands read: render-manifest's --vip and API server endpoints. */
class KubeAddressesTest {
    @Test
    void aCidrNeedsItsPrefix() {
        assertThatThrownBy(() -> ManifestSettings.parseVip("192.168.1.100"))
                .hasMessage("--vip 192.168.1.100 has no prefix length (expected: CIDR such as 192.168.1.100/24,"
                        + " the prefix of the node network)");
        assertThatThrownBy(() -> ManifestSettings.parseVip("192.168.1.100/33"))
                .hasMessage("--vip 192.168.1.100/33: prefix /33 is out of range (expected: 1..32)");
        assertThat(ManifestSettings.parseVip("fd00::0100/64")).hasToString("fd00::100/64");
    }

    @Test
    void hostPortReadsEveryForm() {
        assertThat(HostPort.parse("192.168.1.11", 6443)).isEqualTo(new HostPort("192.168.1.11", 6443));
        assertThat(HostPort.parse("192.168.1.11:16443", 6443)).isEqualTo(new HostPort("192.168.1.11", 16443));
        assertThat(HostPort.parse("[::1]:8443", 6443)).isEqualTo(new HostPort("::1", 8443));
        assertThat(HostPort.parse("fd00::11", 6443)).isEqualTo(new HostPort("fd00::11", 6443));
        assertThat(HostPort.parse("https://api.example.com:443/x", 6443)).isEqualTo(new HostPort("api.example.com", 443));
        assertThat(HostPort.parse("[fd00::11]:6443", 1).toString()).isEqualTo("[fd00::11]:6443");
    }
}
