package dev.karp.kube;

import dev.karp.net.IpAddresses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a TLS server presented: the leaf certificate's subject, its subject alternative names and expiry. */
public record ServedCertificate(String subject, List<SubjectAltName> sans, Instant notAfter) {
    public ServedCertificate {
        sans = List.copyOf(sans);
    }

    /** One SAN. IP values are kept as addresses, since Java prints IPv6 uncompressed (fd00:0:0:0:0:0:0:1). */
    public record SubjectAltName(Type type, String value) {
        public enum Type { DNS, IP, OTHER }

        @Override
        public String toString() {
            return switch (type) {
                case DNS -> "DNS:" + value;
                case IP -> "IP:" + IpAddresses.parse(value).map(IpAddresses::format).orElse(value);
                case OTHER -> value;
            };
        }
    }

    /**
     * Whether a client that verifies the name {@code host} accepts this certificate: an IP literal must equal
     * an IP SAN as an address; a name must match a DNS SAN (one leading {@code *} label allowed), case
     * insensitively. The subject CN does not count, as in Go's TLS client since 1.15.
     */
    public boolean covers(String host) {
        Optional<InetAddress> ip = IpAddresses.parse(host);
        if (ip.isPresent()) {
            return sans.stream().filter(s -> s.type() == SubjectAltName.Type.IP)
                    .anyMatch(s -> IpAddresses.parse(s.value()).map(ip.get()::equals).orElse(false));
        }
        String name = host.toLowerCase(Locale.ROOT);
        return sans.stream().filter(s -> s.type() == SubjectAltName.Type.DNS)
                .map(s -> s.value().toLowerCase(Locale.ROOT))
                .anyMatch(pattern -> pattern.startsWith("*.")
                        ? name.indexOf('.') > 0 && name.substring(name.indexOf('.')).equals(pattern.substring(1))
                        : pattern.equals(name));
    }
}
