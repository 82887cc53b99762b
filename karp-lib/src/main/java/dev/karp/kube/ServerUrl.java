package dev.karp.kube;

import dev.karp.net.IpAddresses;
import java.net.InetAddress;
import java.util.OptionalInt;

/**
 * A kubeconfig {@code server} value, split just enough to swap its host: scheme, user info, path, query and
 * port stay as written. Written by hand because {@link java.net.URI} gives no host for an unbracketed IPv6
 * address ({@code https://fd00::1:6443}).
 */
record ServerUrl(String scheme, String userInfo, String host, OptionalInt port, String tail) {
    static ServerUrl parse(String server) {
        int schemeEnd = server.indexOf("://");
        String scheme = schemeEnd < 0 ? null : server.substring(0, schemeEnd);
        String rest = schemeEnd < 0 ? server : server.substring(schemeEnd + 3);
        int authorityEnd = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < authorityEnd) {
                authorityEnd = i;
            }
        }
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        String userInfo = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
        }
        String host;
        OptionalInt port = OptionalInt.empty();
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("server " + server + " has '[' without ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                port = OptionalInt.of(port(server, after.substring(1)));
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("server " + server + " has text after ']'");
            }
        } else if (authority.chars().filter(c -> c == ':').count() > 1) {
            throw new IllegalArgumentException("server " + server + " has an IPv6 address without brackets, so its port"
                    + " is ambiguous; pass --port");
        } else if (authority.contains(":")) {
            host = authority.substring(0, authority.indexOf(':'));
            port = OptionalInt.of(port(server, authority.substring(authority.indexOf(':') + 1)));
        } else {
            host = authority;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server " + server + " has no host");
        }
        return new ServerUrl(scheme, userInfo, host, port, tail);
    }

    /**
     * The same URL with the host replaced by {@code vip} and, when {@code newPort} is given, the port too.
     * With {@code newPort} given the old authority need not parse (an unbracketed IPv6 server is fine).
     */
    static String rewrite(String server, InetAddress vip, OptionalInt newPort) {
        ServerUrl url;
        try {
            url = parse(server);
        } catch (IllegalArgumentException e) {
            if (newPort.isEmpty()) {
                throw e;
            }
            int schemeEnd = server.indexOf("://");
            url = new ServerUrl(schemeEnd < 0 ? null : server.substring(0, schemeEnd), null, "", OptionalInt.empty(), "");
        }
        OptionalInt port = newPort.isPresent() ? newPort : url.port();
        StringBuilder sb = new StringBuilder();
        if (url.scheme() != null) {
            sb.append(url.scheme()).append("://");
        }
        if (url.userInfo() != null) {
            sb.append(url.userInfo()).append('@');
        }
        sb.append(IpAddresses.forUrl(vip));
        port.ifPresent(p -> sb.append(':').append(p));
        return sb.append(url.tail()).toString();
    }

    /** The port a client dials: the given one, else the scheme's (https 443, http 80). */
    int effectivePort() {
        return port.orElse("http".equalsIgnoreCase(scheme) ? 80 : 443);
    }

    boolean isTls() {
        return !"http".equalsIgnoreCase(scheme);
    }

    private static int port(String server, String p) {
        if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
            throw new IllegalArgumentException("server " + server + " has a bad port '" + p + "'");
        }
        return Integer.parseInt(p);
    }
}
