package dev.karp.config;

import static dev.karp.config.MinimalFlags.flags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12: inputs that must not reach the host, hang karp or exhaust its memory. */
class ConfigHardeningTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(FakeHostInterfaces.nodeA());

    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        return p;
    }

    private Path passwordFile(String content, String mode) throws IOException {
        Path p = dir.resolve("password");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static Map<Setting, String> withPasswordFile(Path file, Object... more) {
        Map<Setting, String> m = flags(more);
        m.remove(Setting.PASS);
        m.put(Setting.PASSFILE, file.toString());
        return m;
    }

    private static Map<Setting, String> vipFlags(String vip, Object... more) {
        Map<Setting, String> m = flags(more);
        m.remove(Setting.ADDR);
        m.put(Setting.VIP, vip);
        return m;
    }

    // Item 2: configuration and password files.

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoAsConfigIsRefusedBeforeItIsOpened() throws Exception {
        Path fifo = fifo("config.yaml");

        assertThatThrownBy(() -> loader.load(flags(Setting.CONFIG, fifo.toString()), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config " + fifo + " is a FIFO, not a regular file");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeviceAsConfigIsRefused() {
        assertThatThrownBy(() -> loader.load(flags(Setting.CONFIG, "/dev/zero"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config /dev/zero is a character device, not a regular file");
    }

    @Test
    void aConfigLargerThanOneMebibyteIsRefusedInOneLine() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(2 * 1024 * 1024) + "\nvhid: 7\n");

        assertThatThrownBy(() -> loader.load(flags(Setting.CONFIG, big.toString()), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--config " + big + " is larger than the 1 MiB karp reads")
                .hasMessageNotContaining("\n");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoAsPasswordFileIsRefusedBeforeItIsOpened() throws Exception {
        Path fifo = fifo("password");

        assertThatThrownBy(() -> loader.load(withPasswordFile(fifo), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--passfile " + fifo + " is a FIFO, not a regular file");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeviceAsPasswordFileIsRefused() {
        assertThatThrownBy(() -> loader.load(withPasswordFile(Path.of("/dev/zero")), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--passfile /dev/zero is a character device, not a regular file");
    }

    @Test
    void aLargePasswordFileIsRefused() throws IOException {
        Path p = passwordFile("s3cret\n" + "#".repeat(100_000), "rw-------");

        assertThatThrownBy(() -> loader.load(withPasswordFile(p), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--passfile " + p + " is larger than the 4 KiB karp reads");
    }

    // Item 8: password warnings, multi-document YAML, the bow-out advert.

    @Test
    void aGroupOrWorldReadablePasswordFileIsWarnedAbout() throws IOException {
        Path p = passwordFile("s3cret\n", "rw-r--r--");

        LoadedConfig loaded = loader.load(withPasswordFile(p), NO_ENV);

        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("--passfile " + p + " is readable by other users (mode 0644)")
                .contains("chmod 600 " + p));
    }

    @Test
    void aPrivatePasswordFileGetsNoWarning() throws IOException {
        Path p = passwordFile("s3cret\n", "rw-------");

        LoadedConfig loaded = loader.load(withPasswordFile(p), NO_ENV);

        assertThat(loaded.warnings()).noneMatch(w -> w.contains("readable by other users"));
    }

    @Test
    void kubeKarpsPublishedDefaultPasswordIsWarnedAbout() {
        Map<Setting, String> f = flags(Setting.PASS, "RAnDoM_max16char");

        LoadedConfig loaded = loader.load(f, Map.of());

        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .contains("kube-karp's published default password").contains("choose your own"));
    }

    @Test
    void kubeKarpsDefaultPasswordFromTheEnvironmentIsWarnedAboutToo() {
        Map<Setting, String> f = flags();
        f.remove(Setting.PASS);

        LoadedConfig loaded = loader.load(f, Map.of("KARP_PASSWORD", "RAnDoM_max16char"));

        assertThat(loaded.warnings()).anyMatch(w -> w.contains("kube-karp's published default password"));
    }

    @Test
    void aConfigWithTwoYamlDocumentsIsAnError() throws IOException {
        Path c = dir.resolve("two.yaml");
        Files.writeString(c, "vhid: 7\n---\nvhid: 8\n");

        assertThatThrownBy(() -> loader.load(flags(Setting.CONFIG, c.toString()), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config " + c + " holds more than one YAML document (---); karp reads one mapping:"
                        + " merge them or remove the ---");
    }

    @Test
    void theBowOutAdvertIsRefusedByTheLoaderAsByTheDaemon() {
        assertThatThrownBy(() -> loader.load(flags(Setting.ADVBASE, "255", Setting.ADVSKEW, "255"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--advskew 255 with --advbase 255 is the bow-out advert")
                .hasMessageNotContaining("\n");
    }

    // Item 5: VIPs that cannot work.

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0/24        | is 0.0.0.0/8 ('this network')",
        "0.1.2.3/32        | is 0.0.0.0/8 ('this network')",
        "224.0.0.18/24     | is a multicast address",
        "239.1.2.3/32      | is a multicast address",
        "255.255.255.255/32| is the broadcast address",
        "127.0.0.5/8       | is a loopback address",
        "10.200.0.0/24     | is the network address of 10.200.0.0/24",
        "10.200.0.255/24   | is the broadcast address of 10.200.0.0/24",
        "10.200.0.11/32    | is already an address of eth0 (10.200.0.11/24)",
        "127.0.0.1/32      | is a loopback address",
    })
    void anUnusableVipIsRefused(String vip, String why) {
        assertThatThrownBy(() -> loader.load(vipFlags(vip), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--vip " + vip + " " + why);
    }

    @Test
    void aVipEqualToAnotherInterfacesAddressIsRefused() {
        ConfigLoader l = new ConfigLoader(FakeHostInterfaces.nodeA().with("eth1", "10.201.0.5/24"));

        assertThatThrownBy(() -> l.load(vipFlags("10.201.0.5/24", Setting.INTERFACE, "eth0"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--vip 10.201.0.5/24 is already an address of eth1 (10.201.0.5/24)");
    }

    @ParameterizedTest
    @CsvSource({"10.200.0.100/24", "10.200.0.0/31", "10.200.0.1/31", "10.200.0.255/32"})
    void usableVipsStillLoad(String vip) {
        assertThat(loader.load(vipFlags(vip), NO_ENV).config().vip().getHostAddress())
                .isEqualTo(vip.substring(0, vip.indexOf('/')));
    }

    @Test
    void aVipLeftOnTheInterfaceByAnEarlierRunIsNotTakenForTheNodesOwn() {
        // The VIP after the node's address, with the VIP's prefix: what a crashed karp leaves behind.
        ConfigLoader l = new ConfigLoader(new FakeHostInterfaces().with("eth0", "10.200.0.11/24", "10.200.0.100/24")
                .defaultRoute("eth0"));

        assertThat(l.load(vipFlags("10.200.0.100/24"), NO_ENV).config().srcip().orElseThrow().getHostAddress())
                .isEqualTo("10.200.0.11");
    }

    @Test
    void aVipOutsideEverySubnetOfTheInterfaceIsWarnedAbout() {
        LoadedConfig loaded = loader.load(vipFlags("192.0.2.10/32"), NO_ENV);

        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("--vip 192.0.2.10/32 is outside every subnet of eth0 (10.200.0.11/24)")
                .contains("clients"));
    }

    @Test
    void aVipInsideTheSubnetGetsNoSubnetWarning() {
        LoadedConfig loaded = loader.load(vipFlags("10.200.0.100/24"), NO_ENV);

        assertThat(loaded.warnings()).noneMatch(w -> w.contains("outside every subnet"));
    }
}
