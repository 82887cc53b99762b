package dev.karp.kube;

import java.net.Inet4Address;
import java.net.InetAddress;

/** A VIP with its prefix length, as {@code karp run --vip} takes it: {@code 192.168.1.100/24}. */
public record Cidr(InetAddress address, int prefix) {
    public Cidr {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 1 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range (expected: 1.." + max + ")");
        }
    }

    /** Parses {@code ADDRESS/PREFIX}; the prefix is required because it decides the route karp adds. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--vip " + text + " has no prefix length (expected: CIDR such as "
                    + text + "/24, the prefix of the node network)");
        }
        InetAddress address = IpLiteral.require(text.substring(0, slash), "--vip");
        String p = text.substring(slash + 1);
        if (!p.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("--vip " + text + " has a bad prefix length (expected: e.g. /24)");
        }
        try {
            return new Cidr(address, Integer.parseInt(p));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--vip " + text + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return IpLiteral.format(address) + "/" + prefix;
    }
}
