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
        }
        System.out.println("default " + host.defaultRouteInterface().orElse("none"));
    }
}
