package dev.karp.lab;

/**
 * One namespace of a {@link NetnsLab} attached to its bridge.
 *
 * @param label      short name used in logs and file names: {@code n1}, {@code n2}, ..., {@code client}
 * @param netns      the network namespace, e.g. {@code karp-4242-9f3a-n1}
 * @param iface      the interface inside it, always {@code eth0}
 * @param address    its IPv4 address, e.g. {@code 10.200.0.11} (prefix /24)
 * @param mac        its MAC, e.g. {@code 02:00:00:00:00:11}
 * @param bridgePort the veth peer on the bridge side, in the bridge namespace ({@code p1}, ..., {@code pc})
 */
public record LabHost(String label, String netns, String iface, String address, String mac, String bridgePort) {

    @Override
    public String toString() {
        return label + "(" + address + ")";
    }
}
