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
        List<Cidr> ipv6 = new ArrayList<>();
        for (String c : cidrs) {
            String[] p = c.split("/");
            Cidr cidr = new Cidr(IpAddresses.parse(p[0]).orElseThrow(), Integer.parseInt(p[1]));
            (cidr.isIpv4() ? addresses : ipv6).add(cidr);
        }
        interfaces.add(new HostInterface(name, addresses, ipv6));
        return this;
    }

    /** Gives {@code name} an IPv6 link-local address (without one, IPv6 VIPs are refused on it). */
    public FakeHostInterfaces linkLocal(String name, String address) {
        for (int i = 0; i < interfaces.size(); i++) {
            HostInterface h = interfaces.get(i);
            if (h.name().equals(name)) {
                List<Cidr> ipv6 = new ArrayList<>(h.ipv6Addresses());
                ipv6.add(new Cidr(IpAddresses.parse(address).orElseThrow(), 64));
                interfaces.set(i, new HostInterface(name, h.addresses(), ipv6));
            }
        }
        return this;
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
