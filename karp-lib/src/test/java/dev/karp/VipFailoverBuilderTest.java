package dev.karp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.config.FakeHostInterfaces;
import dev.karp.daemon.GroupConfig;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VipFailoverBuilderTest {

    private static VipFailover.Builder valid() {
        return noVip().vip("10.200.0.100");
    }

    private static VipFailover.Builder noVip() {
        return VipFailover.builder().host(FakeHostInterfaces.nodeA()).vhid(7)
                .password("s3cret".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theInterfaceTheSourceAndThePrefixComeFromTheHost() {
        VipFailover f = valid().build();

        GroupStatus g = f.status().group();
        assertThat(g.interfaceName()).isEqualTo("eth0");
        assertThat(g.vip()).isEqualTo("10.200.0.100/24");
        assertThat(g.vhid()).isEqualTo(7);
        assertThat(g.advbase()).isEqualTo(1);
        assertThat(g.advskew()).isZero();
    }

    @Test
    void theVipLifetimeIsAutomaticByDefaultAndCanBeGivenOrTurnedOff() {
        assertThat(valid().build().groupConfigs().get(0).vipLifetime()).hasValue(Duration.ofSeconds(2));
        assertThat(valid().advbase(2).build().groupConfigs().get(0).vipLifetime()).hasValue(Duration.ofSeconds(5));
        assertThat(valid().vipLifetime(Duration.ofSeconds(10)).build().groupConfigs().get(0).vipLifetime())
                .hasValue(Duration.ofSeconds(10));
        assertThat(valid().vipLifetime(Duration.ZERO).build().groupConfigs().get(0).vipLifetime()).isEmpty();
        assertProperty(valid().advbase(5).vipLifetime(Duration.ofSeconds(3)), "vipLifetime", "vipLifetime 3s is too"
                + " short for advbase 5 advskew 0: a master renews it at each advert (expected: 6s or more, or off)");
        assertProperty(valid().vipLifetime(Duration.ofMillis(500)), "vipLifetime",
                "vipLifetime 500ms is out of range (expected: 1s..1h, or off)");
    }

    @Test
    void takeoversAnnounceThreeTimesASecondApartByDefault() {
        GroupConfig g = valid().build().groupConfigs().get(0);
        assertThat(g.garpCount()).isEqualTo(3);
        assertThat(g.garpInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(valid().garpInterval(Duration.ZERO).build().groupConfigs().get(0).garpInterval()).isZero();
        assertProperty(valid().garpInterval(Duration.ofMinutes(2)), "garpInterval",
                "garpInterval 2m is out of range (expected: 0s..1m)");
    }

    @Test
    void beforeStartTheStatusIsInitAndTheLoopIsNotResponsive() {
        VipFailover f = valid().build();

        assertThat(f.status().state()).isEqualTo(FailoverState.INIT);
        assertThat(f.status().holdsVip()).isFalse();
        assertThat(f.loopResponsive()).isFalse();
        f.close(); // closing a failover that never started changes nothing
    }

    @Test
    void aVipOutsideEverySubnetIsAHostAddress() {
        assertThat(noVip().vip("192.0.2.7").build().status().group().vip()).isEqualTo("192.0.2.7/32");
    }

    @Test
    void aMissingVhidIsNamed() {
        assertThatThrownBy(() -> VipFailover.builder().host(FakeHostInterfaces.nodeA()).vip("10.200.0.100")
                .password(new byte[] {1}).build())
                .isInstanceOfSatisfying(FailoverConfigException.class, e -> assertThat(e.property()).isEqualTo("vhid"))
                .hasMessage("vhid is required (1..255, the same on every node)");
    }

    @Test
    void rangesNameTheProperty() {
        assertProperty(valid().vhid(300), "vhid", "vhid 300 is out of range (expected: 1..255)");
        assertProperty(valid().advskew(256), "advskew", "advskew 256 is out of range (expected: 0..255)");
        assertProperty(valid().deadratio(0), "deadratio", "deadratio 0 is out of range (expected: 1..255)");
        assertProperty(valid().advbase(0).advskew(0), "advbase",
                "advbase 0 needs advskew 1..255 (with both 0 the advert interval would be zero)");
        assertProperty(valid().garpCount(11), "garpCount", "garpCount 11 is out of range (expected: 1..10)");
    }

    @Test
    void thePasswordIsOneToNineteenBytes() {
        assertProperty(valid().password(new byte[20]), "password",
                "password is 20 bytes long (expected: 1..19, UCarp's limit)");
        assertProperty(valid().password(new byte[0]), "password",
                "password is 0 bytes long (expected: 1..19, UCarp's limit)");
    }

    @Test
    void aPasswordFileIsReadAsUcarpDoesAndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "s3cret\nsecond line ignored\n");
        assertThat(valid().passwordFile(file).build()).isNotNull();

        assertThatThrownBy(() -> valid().passwordFile(dir.resolve("missing")).build())
                .isInstanceOfSatisfying(FailoverConfigException.class,
                        e -> assertThat(e.property()).isEqualTo("passwordFile"))
                .hasMessageStartingWith("passwordFile " + dir.resolve("missing") + " cannot be read");
    }

    @Test
    void aFifoAsPasswordFileIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        // given: a FIFO nobody writes to; opening it for reading would block build() for ever
        Path fifo = dir.resolve("password");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertProperty(valid().passwordFile(fifo), "passwordFile",
                "passwordFile " + fifo + " is a FIFO, not a regular file");
    }

    @Test
    void severalVipsOfBothFamiliesMoveAsOneGroup() {
        VipFailover f = VipFailover.builder().host(FakeHostInterfaces.nodeA().linkLocal("eth0", "fe80::a"))
                .vhid(7).password("s3cret".getBytes(StandardCharsets.UTF_8))
                .vip("10.200.0.100").vip("10.200.0.101/32").vip("fd00:200::100/64").build();

        GroupStatus g = f.status().group();
        assertThat(g.vip()).isEqualTo("10.200.0.100/24");
        assertThat(g.vips()).containsExactly("10.200.0.100/24", "10.200.0.101/32", "fd00:200::100/64");
    }

    @Test
    void anIpv6VipNeedsALinkLocalAddress() {
        assertProperty(noVip().vip("fd00:200::100/64"), "vip", "IPv6 VIPs need an IPv6 link-local address on eth0,"
                + " and it has none; enable IPv6 there (sysctl net.ipv6.conf.eth0.disable_ipv6=0)");
    }

    @Test
    void aVipGivenTwiceIsNamed() {
        assertProperty(valid().vip("10.200.0.100/24"), "vip", "vip 10.200.0.100/24 is given twice");
    }

    @Test
    void addedGroupsTakeWhatTheyLeaveUnsetFromTheBuilder() {
        VipFailover f = VipFailover.builder().host(FakeHostInterfaces.nodeA())
                .password("s3cret".getBytes(StandardCharsets.UTF_8)).advbase(2).advskew(10)
                .group(VipGroup.builder().vhid(1).vip("10.200.0.101").build())
                .group(VipGroup.builder().vhid(2).vip("10.200.0.102").advskew(100).build())
                .build();

        assertThat(f.status().groups()).extracting(GroupStatus::vhid, GroupStatus::vip, GroupStatus::advbase,
                GroupStatus::advskew).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "10.200.0.101/24", 2, 10),
                        org.assertj.core.groups.Tuple.tuple(2, "10.200.0.102/24", 2, 100));
    }

    @Test
    void groupsMustNotShareAVhidOrAVip() {
        assertProperty(valid().group(VipGroup.builder().vhid(7).vip("10.200.0.102").build()), "vhid",
                "vhid 7 is configured twice on eth0; give every group its own vhid");
        assertProperty(valid().group(VipGroup.builder().vhid(8).vip("10.200.0.100").build()), "vip",
                "vip 10.200.0.100 is in vhid 7 and vhid 8; a VIP belongs to one group");
    }

    @Test
    void badVipsAreNamed() {
        assertProperty(noVip().vip("10.200.0.300/24"), "vip", "vip 10.200.0.300/24 is not an IPv4 or IPv6 address"
                + " with an optional prefix (expected e.g. 10.200.0.100/24 or fd00:200::100/64)");
        assertProperty(noVip().vip("10.200.0.100/33"), "vip", "vip 10.200.0.100/33 has an invalid prefix"
                + " (expected: /1../32)");
    }

    @Test
    void theInterfaceAndTheSourceAddressMustExist() throws Exception {
        assertProperty(valid().interfaceName("eth9"), "interfaceName",
                "interfaceName eth9 not found (available: eth0, lo)");
        assertProperty(valid().sourceAddress(InetAddress.getByName("10.200.0.99")), "sourceAddress",
                "sourceAddress 10.200.0.99 is not an address of eth0");
        assertProperty(VipFailover.builder().host(new FakeHostInterfaces().with("eth0", "10.200.0.11/24")).vhid(7)
                .password(new byte[] {1}).vip("10.200.0.100"), "interfaceName",
                "interfaceName is required: no interface holds the default route (available: eth0)");
    }

    @Test
    void healthCheckMessagesNameTheMethodsNotCliFlags() {
        assertThatThrownBy(() -> HealthCheck.http(URI.create("ftp://127.0.0.1/")))
                .isInstanceOfSatisfying(FailoverConfigException.class,
                        e -> assertThat(e.property()).isEqualTo("healthCheck"))
                .message().startsWith("healthCheck: ").doesNotContain("--");
        assertThatThrownBy(() -> HealthCheck.exec("true").withInterval(Duration.ofMillis(5)))
                .isInstanceOf(FailoverConfigException.class).message().doesNotContain("--");
        assertThatThrownBy(() -> HealthCheck.exec("true").withExpectStatus(200))
                .isInstanceOf(FailoverConfigException.class);
    }

    @Test
    void aHealthCheckKeepsItsSettings() {
        HealthCheck h = HealthCheck.http(URI.create("https://127.0.0.1:6443/readyz")).withInterval(Duration.ofSeconds(2))
                .withTimeout(Duration.ofMillis(500)).withFails(3).withRises(4).withExpectStatus(200);

        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(h.fails()).isEqualTo(3);
        assertThat(h.rises()).isEqualTo(4);
        assertThat(h.toString()).isEqualTo("GET https://127.0.0.1:6443/readyz");
        assertThat(valid().healthCheck(h).build()).isNotNull();
    }

    private static void assertProperty(VipFailover.Builder builder, String property, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(FailoverConfigException.class, e -> assertThat(e.property()).isEqualTo(property))
                .hasMessage(message);
    }
}
