package dev.karp.config;

import dev.karp.net.Cidr;
import dev.karp.net.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A host with the interfaces a test gives it; nothing real is looked at. */
public final class FakeHostInterfaces implements HostInterfaces {
    private final List<HostInterface> interfaces = new ArrayList<>();
    private String defaultRoute;
    private final java.util.Map<String, java.net.Inet6Address> linkLocals = new java.util.HashMap<>();

    /** The host of the shared vectors' node A: eth0 10.200.0.11/24 with the default route, and lo. */
    public static FakeHostInterfaces nodeA() {
        return new FakeHostInterfaces()
                .with("eth0", "10.200.0.11/24")
                .with("lo", "127.0.0.1/8")
                .defaultRoute("eth0");
    }

    /** Adds an interface with addresses in CIDR form, primary first. */
    public FakeHostInterfaces with(String name, String... cidrs) {
        List<Cidr> addresses = new ArrayList<>();
        for (String c : cidrs) {
            String[] p = c.split("/");
            addresses.add(new Cidr(IpAddresses.parse(p[0]).orElseThrow(), Integer.parseInt(p[1])));
        }
        interfaces.add(new HostInterface(name, addresses));
        return this;
    }

    /** Gives {@code name} an IPv6 link-local address (without one, IPv6 VIPs are refused on it). */
    public FakeHostInterfaces linkLocal(String name, String address) {
        linkLocals.put(name, (java.net.Inet6Address) IpAddresses.parse(address).orElseThrow());
        return this;
    }

    @Override
    public Optional<java.net.Inet6Address> linkLocal(String name) {
        return Optional.ofNullable(linkLocals.get(name));
    }

    public FakeHostInterfaces defaultRoute(String name) {
        defaultRoute = name;
        return this;
    }

    @Override
    public List<HostInterface> list() {
        return List.copyOf(interfaces);
    }

    @Override
    public Optional<String> defaultRouteInterface() {
        return Optional.ofNullable(defaultRoute);
    }
}
