package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link LinuxHostInterfaces} against a real kernel: in a network namespace of its own, an interface
 * with primary and secondary addresses and a default route. Touches nothing outside that namespace.
 */
@Tag("netns")
class LinuxHostInterfacesNetnsTest {
    private final String ns = "karp-hi-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private boolean created;

    @BeforeEach
    void requireRoot() throws IOException {
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        boolean ip = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").stream()
                .anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!root || !ip) {
            String why = "needs root and iproute2's ip to create a network namespace";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true, so this must run)");
            }
            Assumptions.abort(why);
        }
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (created) {
            ip("netns", "del", ns);
        }
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    @Test
    void primaryAddressesComeFirstAndTheDefaultRouteIsFound() throws Exception {
        // given: v0 with addresses added in this order; 10.200.9.100 becomes a secondary of 10.200.9.11
        ip("netns", "add", ns);
        created = true;
        ip("-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ip("-n", ns, "link", "set", "v0", "up");
        ip("-n", ns, "link", "set", "v1", "up");
        ip("-n", ns, "addr", "add", "10.200.9.11/24", "dev", "v0");
        ip("-n", ns, "addr", "add", "10.200.9.100/24", "dev", "v0");
        ip("-n", ns, "addr", "add", "10.200.8.5/24", "dev", "v0");
        ip("-n", ns, "route", "add", "default", "via", "10.200.9.1", "dev", "v0");

        // when
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = exec(List.of("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                HostInterfacesProbe.class.getName()));

        // then: the kernel's order (ip addr: 10.200.9.11, 10.200.8.5, then the secondary 10.200.9.100)
        assertThat(out.lines()).contains("interface v0 10.200.9.11/24,10.200.8.5/24,10.200.9.100/24",
                "default v0");
    }

    @Test
    void ipv6AddressesAndTheLinkLocalAreFoundAndAnInterfaceWithoutIpv6SaysHowToEnableIt() throws Exception {
        // given: v0 with IPv6 (no DAD, so the link-local is usable at once) and fd00:200::11; v1 with IPv6 off
        ip("netns", "add", ns);
        created = true;
        exec(List.of("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
                "net.ipv6.conf.default.disable_ipv6=0", "net.ipv6.conf.default.accept_dad=0"));
        ip("-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        exec(List.of("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.v1.disable_ipv6=1"));
        ip("-n", ns, "link", "set", "v0", "address", "02:00:00:00:09:11");
        ip("-n", ns, "addr", "add", "fd00:200::11/64", "dev", "v0", "nodad");
        ip("-n", ns, "link", "set", "v0", "up");
        ip("-n", ns, "addr", "add", "10.200.9.12/24", "dev", "v1"); // the JDK lists only interfaces with an address
        ip("-n", ns, "link", "set", "v1", "up");
        String linkLocal = "fe80::ff:fe00:911"; // EUI-64 of 02:00:00:00:09:11
        for (int i = 0; i < 100 && !ip("-n", ns, "-6", "addr", "show", "dev", "v0").contains(linkLocal); i++) {
            Thread.sleep(100); // the link-local comes with carrier; bounded at 10 s
        }

        // when
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = exec(List.of("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                HostInterfacesProbe.class.getName()));

        // then
        // IPv6 addresses come in the kernel's hash order (/proc/net/if_inet6), so compare them as a set.
        assertThat(out.lines().filter(l -> l.startsWith("ipv6 v0 ")).map(l -> l.substring(8).split(",")))
                .singleElement().satisfies(a -> assertThat(a).containsExactlyInAnyOrder("fd00:200::11/64",
                        linkLocal + "/64"));
        assertThat(out.lines()).contains("linklocal v0 " + linkLocal, "ipv6 v1 ",
                "linklocal v1 error: v1 has no IPv6 link-local address, which IPv6 adverts are sent from; enable IPv6"
                        + " on it (sysctl -w net.ipv6.conf.v1.disable_ipv6=0) and make sure it is up, or use IPv4"
                        + " VIPs only");
    }
}
