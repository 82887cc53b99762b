package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several VIPs in one group, IPv6 VIPs, and a file's groups: list. */
class ConfigLoaderGroupsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private final FakeHostInterfaces host = new FakeHostInterfaces()
            .with("eth0", "10.200.0.11/24", "fd00:200::11/64")
            .linkLocal("eth0", "fe80::11")
            .defaultRoute("eth0");
    private final ConfigLoader loader = new ConfigLoader(host);

    private static Map<Setting, String> flags(String... pairs) {
        Map<Setting, String> m = new LinkedHashMap<>();
        m.put(Setting.PASS, "s3cret");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(Setting.byLongName(pairs[i]).orElseThrow(), pairs[i + 1]);
        }
        return m;
    }

    private Path file(String content) throws IOException {
        Path p = dir.resolve("karp.yaml");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void repeatedVipsOfBothFamiliesAreOneGroupWithPrefixesFromTheSubnets() {
        KarpConfig c = loader.load(flags("vip", "10.200.0.100,fd00:200::100,10.200.0.101/32"), NO_ENV).config();

        assertThat(c.vips()).extracting(Object::toString)
                .containsExactly("10.200.0.100/24", "fd00:200::100/64", "10.200.0.101/32");
        assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.11");
    }

    @Test
    void anIpv6OnlyGroupHasNoIpv4Source() {
        KarpConfig c = loader.load(flags("vip", "fd00:200::100"), NO_ENV).config();

        assertThat(c.vipCidr()).isEqualTo("fd00:200::100/64");
        assertThat(c.srcip()).isEmpty();
    }

    @Test
    void anIpv6VipOnAnInterfaceWithoutLinkLocalSaysHowToEnableIt() {
        ConfigLoader noV6 = new ConfigLoader(FakeHostInterfaces.nodeA());

        assertThatThrownBy(() -> noV6.load(flags("vip", "fd00:200::100/64"), NO_ENV))
                .hasMessage("--vip fd00:200::100/64 needs an IPv6 link-local address on eth0 (the source of IPv6"
                        + " adverts), and it has none; enable IPv6 there (sysctl net.ipv6.conf.eth0.disable_ipv6=0)");
    }

    @Test
    void aVipGivenTwiceIsNamed() {
        assertThatThrownBy(() -> loader.load(flags("vip", "10.200.0.100,10.200.0.100/24"), NO_ENV))
                .hasMessage("--vip 10.200.0.100/24 is given twice; give each VIP once");
    }

    @Test
    void aGroupsFileGivesEachGroupItsVhidVipsAndOwnSettings() throws IOException {
        Path yaml = file("""
                advskew: 10
                groups:
                  - vhid: 1
                    vip: 10.200.0.101
                  - vhid: 2
                    vip: [10.200.0.102, "fd00:200::102"]
                    advskew: 100
                    preempt: true
                """);

        KarpConfig c = loader.load(flags("config", yaml.toString()), NO_ENV).config();

        assertThat(c.vips()).isEmpty();
        assertThat(c.advskew()).isEqualTo(10);
        assertThat(c.groups()).hasSize(2);
        assertThat(c.groups().get(0).vhid()).isEqualTo(1);
        assertThat(c.groups().get(0).vips()).extracting(Object::toString).containsExactly("10.200.0.101/24");
        assertThat(c.groups().get(0).advskew()).isEmpty();
        assertThat(c.groups().get(1).vips()).extracting(Object::toString)
                .containsExactly("10.200.0.102/24", "fd00:200::102/64");
        assertThat(c.groups().get(1).advskew()).hasValue(100);
        assertThat(c.groups().get(1).preempt()).hasValue(true);
        assertThat(c.groups().get(1).srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.11");
    }

    @Test
    void aTopLevelVipBesideGroupsIsRefused() throws IOException {
        Path yaml = file("groups:\n  - {vhid: 1, vip: 10.200.0.101}\n");

        assertThatThrownBy(() -> loader.load(flags("config", yaml.toString(), "vip", "10.200.0.100"), NO_ENV))
                .hasMessage("--vip and the groups: list of --config " + yaml + " are both given; put the VIP in a group");
    }

    @Test
    void aGroupWithoutVhidIsNamed() throws IOException {
        Path yaml = file("groups:\n  - {vip: 10.200.0.101}\n");

        assertThatThrownBy(() -> loader.load(flags("config", yaml.toString()), NO_ENV))
                .hasMessageStartingWith("group 1: vhid is missing in the groups: list");
    }

    @Test
    void garpRefreshIsADurationOrOff() {
        assertThat(loader.load(flags("vip", "10.200.0.100", "garp-refresh", "30s"), NO_ENV).config().garpRefresh())
                .hasValue(java.time.Duration.ofSeconds(30));
        assertThat(loader.load(flags("vip", "10.200.0.100", "garp-refresh", "off"), NO_ENV).config().garpRefresh())
                .isEmpty();
        assertThatThrownBy(() -> loader.load(flags("vip", "10.200.0.100", "garp-refresh", "100ms"), NO_ENV))
                .hasMessageStartingWith("--garp-refresh 100ms is out of range (expected: 1s..1h, or off)");
    }

    @Test
    void garpIntervalIsADurationUpToAMinute() {
        assertThat(loader.load(flags("vip", "10.200.0.100", "garp-interval", "500ms"), NO_ENV).config().garpInterval())
                .isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(loader.load(flags("vip", "10.200.0.100", "garp-interval", "0s"), NO_ENV).config().garpInterval())
                .isZero();
        assertThatThrownBy(() -> loader.load(flags("vip", "10.200.0.100", "garp-interval", "2m"), NO_ENV))
                .hasMessageStartingWith("--garp-interval 2m is out of range (expected: 0s..1m;");
    }

    @Test
    void vipLifetimeIsAutoOffOrADuration() {
        assertThat(loader.load(flags("vip", "10.200.0.100", "vip-lifetime", "auto"), NO_ENV).config().vipLifetime())
                .isEmpty();
        assertThat(loader.load(flags("vip", "10.200.0.100", "vip-lifetime", "off"), NO_ENV).config().vipLifetime())
                .hasValue(java.time.Duration.ZERO);
        assertThat(loader.load(flags("vip", "10.200.0.100", "vip-lifetime", "10s"), NO_ENV).config().vipLifetime())
                .hasValue(java.time.Duration.ofSeconds(10));
        assertThatThrownBy(() -> loader.load(flags("vip", "10.200.0.100", "vip-lifetime", "500ms"), NO_ENV))
                .hasMessageStartingWith("--vip-lifetime 500ms is out of range (expected: 1s..1h, auto or off)");
    }
}
