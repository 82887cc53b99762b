package dev.karp.config;

import dev.karp.net.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The host's interfaces from {@link NetworkInterface} and its default route from {@code /proc/net/route}.
 */
public final class LinuxHostInterfaces implements HostInterfaces {
    private static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");
    /** RTF_UP in linux/route.h: the route is usable. */
    private static final int RTF_UP = 0x1;

    private final Path procNetRoute;

    public LinuxHostInterfaces() {
        this(PROC_NET_ROUTE);
    }

    LinuxHostInterfaces(Path procNetRoute) {
        this.procNetRoute = procNetRoute;
    }

    @Override
    public List<HostInterface> list() {
        List<HostInterface> result = new ArrayList<>();
        try {
            var all = NetworkInterface.getNetworkInterfaces();
            if (all == null) {
                return List.of();
            }
            for (NetworkInterface ni : Collections.list(all)) {
                List<Cidr> addresses = new ArrayList<>();
                List<Cidr> ipv6 = new ArrayList<>();
                for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4) {
                        addresses.add(new Cidr(v4, a.getNetworkPrefixLength()));
                    } else if (a.getAddress() instanceof Inet6Address v6) {
                        // Without the JDK's scope id (the interface): the 16 bytes are what frames and the HMAC use.
                        ipv6.add(new Cidr(unscoped(v6), a.getNetworkPrefixLength()));
                    }
                }
                // OpenJDK 17 and 25 on Linux list an interface's addresses in the reverse of the kernel's
                // order (checked in a network namespace against `ip addr`); reversing gives primary addresses
                // first, which is what kube-karp's `ip addr show | grep -v secondary | head -1` picked.
                Collections.reverse(addresses);
                // IPv6 addresses come from /proc/net/if_inet6, in the kernel's hash order: no order is promised.
                result.add(new HostInterface(ni.getName(), addresses, ipv6));
            }
        } catch (SocketException e) {
            // A namespace with no interface up makes the JDK throw "No network interfaces configured".
            return List.of();
        }
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    private static InetAddress unscoped(Inet6Address v6) {
        try {
            return InetAddress.getByAddress(v6.getAddress());
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    @Override
    public Optional<String> defaultRouteInterface() {
        try {
            return defaultRoute(Files.readString(procNetRoute));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procNetRoute + ": " + e.getMessage(), e);
        }
    }

    /**
     * The interface of the usable IPv4 default route with the lowest metric, from the text of
     * {@code /proc/net/route} (columns: Iface Destination Gateway Flags RefCnt Use Metric Mask ...,
     * addresses in host byte order as hex).
     */
    static Optional<String> defaultRoute(String procNetRoute) {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : procNetRoute.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            try {
                long destination = Long.parseLong(f[1], 16);
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                long mask = Long.parseLong(f[7], 16);
                if (destination == 0 && mask == 0 && (flags & RTF_UP) != 0 && metric < bestMetric) {
                    best = f[0];
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // Not a route line (the kernel never writes one, but a truncated read could): skip it.
            }
        }
        return Optional.ofNullable(best);
    }
}
