package dev.karp.kube;

import dev.karp.net.IpAddresses;
import java.net.InetAddress;
import java.util.Optional;

/** A server to connect to: {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT}, bare IPv6, or an https URL. */
public record HostPort(String host, int port) {
    public HostPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected: 1..65535)");
        }
    }

    public static HostPort parse(String text, int defaultPort) {
        String s = text.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
            int slash = s.indexOf('/');
            if (slash >= 0) {
                s = s.substring(0, slash);
            }
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(text + " has '[' without ']' (expected: [fd00::1]:6443)");
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostPort(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException(text + " has text after ']' (expected: [fd00::1]:6443)");
            }
            return new HostPort(host, port(text, rest.substring(1)));
        }
        int colons = (int) s.chars().filter(c -> c == ':').count();
        if (colons > 1) {
            // A bare IPv6 address: the port cannot be told apart from the last group, so there is none.
            return new HostPort(s, defaultPort);
        }
        if (colons == 1) {
            int c = s.indexOf(':');
            return new HostPort(s.substring(0, c), port(text, s.substring(c + 1)));
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty server address (expected: HOST[:PORT])");
        }
        return new HostPort(s, defaultPort);
    }

    private static int port(String text, String p) {
        if (!p.matches("\\d{1,5}")) {
            throw new IllegalArgumentException(text + " has a bad port '" + p + "' (expected: 1..65535)");
        }
        return Integer.parseInt(p);
    }

    public Optional<InetAddress> address() {
        return IpAddresses.parse(host);
    }

    @Override
    public String toString() {
        return address().map(IpAddresses::forUrl).orElse(host) + ":" + port;
    }
}
