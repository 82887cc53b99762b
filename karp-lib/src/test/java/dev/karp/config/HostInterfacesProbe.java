package dev.karp.config;

import dev.karp.net.Cidr;
import java.util.stream.Collectors;

/** Prints what {@link LinuxHostInterfaces} sees; run inside a network namespace by LinuxHostInterfacesNetnsTest. */
public final class HostInterfacesProbe {
    private HostInterfacesProbe() {
    }

    public static void main(String[] args) {
        var host = new LinuxHostInterfaces();
        for (HostInterface i : host.list()) {
            System.out.println("interface " + i.name() + " "
                    + i.addresses().stream().map(Cidr::toString).collect(Collectors.joining(",")));
            System.out.println("ipv6 " + i.name() + " "
                    + i.ipv6Addresses().stream().map(Cidr::toString).collect(Collectors.joining(",")));
            try {
                System.out.println("linklocal " + i.name() + " " + dev.karp.net.IpAddresses.format(host.linkLocal(i.name())));
            } catch (ConfigException e) {
                System.out.println("linklocal " + i.name() + " error: " + e.getMessage());
            }
        }
        System.out.println("default " + host.defaultRouteInterface().orElse("none"));
    }
}
