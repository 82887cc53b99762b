package dev.karp.kube;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;

/**
 * A TLS server on a loopback address that presents a fresh self-signed certificate with the given SANs
 * (made with the JDK's keytool at test time), completes handshakes and closes. Stands in for an API server.
 */
public final class LocalTlsServer implements AutoCloseable {
    private static final char[] PASS = "changeit".toCharArray();

    private final SSLServerSocket socket;
    private final Thread acceptor;

    private LocalTlsServer(SSLServerSocket socket) {
        this.socket = socket;
        this.acceptor = new Thread(this::acceptLoop, "local-tls-server");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Starts a server on {@code bind} (e.g. 127.0.0.1 or ::1), any free port, with keytool SAN entries such
     * as {@code "dns:kubernetes"}, {@code "ip:127.0.0.1"}, {@code "ip:::1"}.
     */
    public static LocalTlsServer start(String bind, List<String> sans) throws Exception {
        Path dir = Files.createTempDirectory("karp-tls");
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=kube-apiserver", "-validity", "2", "-ext", "san=" + String.join(",", sans),
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASS);
        }
        Files.delete(keystore);
        Files.delete(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
        s.setSoTimeout(200);
        return new LocalTlsServer(s);
    }

    /** Some build containers have no IPv6 loopback; the IPv4 tests still run there. */
    public static void assumeIpv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback (::1) on this machine: " + e.getMessage());
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (SSLSocket c = (SSLSocket) socket.accept()) {
                c.setSoTimeout(5000);
                c.startHandshake();
            } catch (SocketTimeoutException e) {
                // Wake up to see whether the server was closed.
            } catch (IOException e) {
                // A client that gave up mid-handshake; serve the next one.
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
