package dev.karp.kube;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the certificate a TLS server presents, without trusting it: the handshake accepts any chain, so
 * nothing sent over this connection may ever matter, and nothing is. The socket is closed right after the
 * handshake. This context is never reused for anything else.
 */
public final class SanChecker implements CertificateFetcher {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final Duration timeout;

    public SanChecker(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public ServedCertificate fetch(String host, int port) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ReadOnlyTrustManager()}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            // An IP literal resolves without DNS; a name is looked up as any client would.
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                throw new IOException(host + ":" + port + " presented no X.509 certificate");
            }
            return describe(leaf);
        }
    }

    static ServedCertificate describe(X509Certificate leaf) throws IOException {
        List<ServedCertificate.SubjectAltName> sans = new ArrayList<>();
        Collection<List<?>> raw;
        try {
            raw = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IOException("cannot read the certificate's SANs: " + e.getMessage(), e);
        }
        if (raw != null) {
            for (List<?> san : raw) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                sans.add(new ServedCertificate.SubjectAltName(switch (type) {
                    case SAN_DNS -> ServedCertificate.SubjectAltName.Type.DNS;
                    case SAN_IP -> ServedCertificate.SubjectAltName.Type.IP;
                    default -> ServedCertificate.SubjectAltName.Type.OTHER;
                }, type == SAN_DNS || type == SAN_IP ? value : "type" + type + ":" + value));
            }
        }
        return new ServedCertificate(leaf.getSubjectX500Principal().getName(), sans, leaf.getNotAfter().toInstant());
    }

    /** Accepts every chain: this connection only reads the certificate, it trusts nothing. */
    private static final class ReadOnlyTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // The handshake is only here to read the server's certificate.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Same: karp reads this chain, it does not rely on it.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
