package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real TLS servers on loopback, with fresh certificates, stand in for API servers. */
class SanCheckerTest {
    private final SanChecker checker = new SanChecker(Duration.ofSeconds(5));

    @Test
    void readsTheSansOfAnUntrustedSelfSignedCertificate() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:127.0.0.1", "ip:10.96.0.1"))) {

            ServedCertificate cert = checker.fetch("127.0.0.1", server.port());

            assertThat(cert.subject()).isEqualTo("CN=kube-apiserver");
            assertThat(cert.sans()).extracting(Object::toString).containsExactly("DNS:kubernetes", "IP:127.0.0.1", "IP:10.96.0.1");
        }
    }

    @Test
    void anIpv4VipInTheSansIsCovered() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:kubernetes", "ip:192.168.1.100"))) {

            ServedCertificate cert = checker.fetch("127.0.0.1", server.port());

            assertThat(cert.covers("192.168.1.100")).isTrue();
            assertThat(cert.covers("192.168.1.101")).isFalse();
        }
    }

    @Test
    void anIpv6VipIsComparedAsAnAddressNotAsText() throws Exception {
        LocalTlsServer.assumeIpv6Loopback();
        try (LocalTlsServer server = LocalTlsServer.start("::1", List.of("ip:::1", "ip:fd00::100"))) {

            ServedCertificate cert = checker.fetch("::1", server.port());

            assertThat(cert.sans()).extracting(Object::toString).containsExactly("IP:::1", "IP:fd00::100");
            assertThat(cert.covers("fd00:0:0:0:0:0:0:100")).isTrue();
            assertThat(cert.covers("[FD00::0100]")).isTrue();
            assertThat(cert.covers("fd00::101")).isFalse();
        }
    }

    @Test
    void aMissingIpv6VipIsNotCovered() throws Exception {
        LocalTlsServer.assumeIpv6Loopback();
        try (LocalTlsServer server = LocalTlsServer.start("::1", List.of("dns:kubernetes", "ip:::1"))) {

            ServedCertificate cert = checker.fetch("::1", server.port());

            assertThat(cert.covers("fd00::100")).isFalse();
            assertThat(cert.covers("::1")).isTrue();
        }
    }

    @Test
    void anIpAddressIsNotCoveredByADnsNameThatLooksLikeIt() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.start("127.0.0.1", List.of("dns:192.168.1.100"))) {

            ServedCertificate cert = checker.fetch("127.0.0.1", server.port());

            assertThat(cert.covers("192.168.1.100")).isFalse();
        }
    }

    @Test
    void namesMatchDnsSansIncludingOneWildcardLabel() {
        ServedCertificate cert = new ServedCertificate("CN=x", List.of(
                new ServedCertificate.SubjectAltName(ServedCertificate.SubjectAltName.Type.DNS, "*.lab.example.com"),
                new ServedCertificate.SubjectAltName(ServedCertificate.SubjectAltName.Type.DNS, "kubernetes")),
                java.time.Instant.EPOCH);

        assertThat(cert.covers("API.lab.example.com")).isTrue();
        assertThat(cert.covers("a.b.lab.example.com")).isFalse();
        assertThat(cert.covers("Kubernetes")).isTrue();
        assertThat(cert.covers("kubernetes.default")).isFalse();
    }

    @Test
    void aClosedPortIsAnIoErrorNotAHang() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        int closed = port;

        assertThatThrownBy(() -> checker.fetch("127.0.0.1", closed)).isInstanceOf(IOException.class);
    }
}
