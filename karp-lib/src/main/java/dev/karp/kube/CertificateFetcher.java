package dev.karp.kube;

import java.io.IOException;

/** Gets the certificate a TLS server presents. {@link SanChecker} connects; tests may hand in a fixed one. */
@FunctionalInterface
public interface CertificateFetcher {
    ServedCertificate fetch(String host, int port) throws IOException;
}
