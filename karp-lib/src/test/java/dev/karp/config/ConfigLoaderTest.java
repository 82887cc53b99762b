package dev.karp.config;

import static dev.karp.config.MinimalFlags.flags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.carp.CarpPassword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(FakeHostInterfaces.nodeA());

    private static Map<Setting, String> only(Object... pairs) {
        Map<Setting, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Setting) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }

    private String messageOf(Map<Setting, String> flags, Map<String, String> env) {
        try {
            loader.load(flags, env);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path script(String name) throws IOException {
        Path p = file(name, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Nested
    class Defaults {
        @Test
        void aMinimalCommandLineGetsUcarpsDefaultsAndTheDefaultRouteInterface() {
            // given: only a password and a VIP

            // when
            KarpConfig c = loader.load(flags(), NO_ENV).config();

            // then
            assertThat(c.interfaceName()).isEqualTo("eth0");
            assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.11");
            assertThat(c.vhid()).isEqualTo(10);
            assertThat(c.advbase()).isEqualTo(1);
            assertThat(c.advskew()).isZero();
            assertThat(c.deadratio()).isEqualTo(3);
            assertThat(c.mcastip().getHostAddress()).isEqualTo("224.0.0.18");
            assertThat(c.statusAddress()).contains(KarpConfig.DEFAULT_STATUS_ADDRESS);
            assertThat(c.garpCount()).isEqualTo(3);
            assertThat(c.garpInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(c.vipLifetime()).isEmpty();
            assertThat(c.scriptTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(c.preempt()).isFalse();
            assertThat(c.upscript()).isEmpty();
            assertThat(c.xparam()).isEmpty();
        }

        @Test
        void theVipGetsThePrefixOfTheInterfaceSubnetHoldingIt() {
            // given: eth0 is 10.200.0.11/24 and the VIP lies in that subnet

            // when
            KarpConfig c = loader.load(flags(), NO_ENV).config();

            // then
            assertThat(c.vipCidr()).isEqualTo("10.200.0.100/24");
        }

        @Test
        void aVipOutsideEveryInterfaceSubnetGetsSlash32() {
            // given
            Map<Setting, String> f = flags(Setting.ADDR, "192.168.77.5");

            // when
            KarpConfig c = loader.load(f, NO_ENV).config();

            // then
            assertThat(c.vipCidr()).isEqualTo("192.168.77.5/32");
        }

        @Test
        void theDefaultSourceAddressSkipsAVipLeftOnTheInterfaceByACrash() {
            // given: the VIP is listed first on eth0, as after a crash of the master
            var host = new FakeHostInterfaces().with("eth0", "10.200.0.100/24", "10.200.0.11/24").defaultRoute("eth0");

            // when
            KarpConfig c = new ConfigLoader(host).load(flags(), NO_ENV).config();

            // then
            assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.11");
            assertThat(c.vipCidr()).isEqualTo("10.200.0.100/24");
        }

        @Test
        void theDefaultSourceAddressIsTheInterfacesFirstAddress() {
            // given: a second interface given explicitly, with two addresses
            var host = FakeHostInterfaces.nodeA().with("eth1", "10.200.5.7/24", "10.200.6.7/24");

            // when
            KarpConfig c = new ConfigLoader(host).load(flags(Setting.INTERFACE, "eth1"), NO_ENV).config();

            // then
            assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.5.7");
        }
    }

    @Nested
    class Precedence {
        @Test
        void aFlagBeatsTheEnvironment() {
            // given
            Map<String, String> env = Map.of("KARP_SERVER_ID", "20");

            // when
            KarpConfig c = loader.load(flags(Setting.VHID, "7"), env).config();

            // then
            assertThat(c.vhid()).isEqualTo(7);
        }

        @Test
        void theEnvironmentBeatsTheFile() throws IOException {
            // given
            Path yaml = file("karp.yaml", "vhid: 30\nadvskew: 40\n");
            Map<String, String> env = Map.of("KARP_SERVER_ID", "20");

            // when
            KarpConfig c = loader.load(flags(Setting.CONFIG, yaml.toString()), env).config();

            // then
            assertThat(c.vhid()).isEqualTo(20);
            assertThat(c.advskew()).isEqualTo(40);
        }

        @Test
        void theFileBeatsTheDefaults() throws IOException {
            // given
            Path yaml = file("karp.yaml", "advbase: 2\ndeadratio: 4\npreempt: true\n");

            // when
            KarpConfig c = loader.load(flags(Setting.CONFIG, yaml.toString()), NO_ENV).config();

            // then
            assertThat(c.advbase()).isEqualTo(2);
            assertThat(c.deadratio()).isEqualTo(4);
            assertThat(c.preempt()).isTrue();
        }

        @Test
        void allFourSourcesEachGiveWhatTheHigherOnesLeaveOut() throws IOException {
            // given: vhid on the command line and in the environment and file, advskew in env and file,
            // advbase only in the file, deadratio nowhere
            Path yaml = file("karp.yaml", "vhid: 3\nadvskew: 3\nadvbase: 3\n");
            Map<String, String> env = Map.of("KARP_SERVER_ID", "2");
            Map<Setting, String> extraFlags = Map.of(Setting.ADVSKEW, "2");

            // when
            LoadedConfig loaded = loader.load(flags(Setting.VHID, "1", Setting.CONFIG, yaml.toString()), extraFlags, env);

            // then
            KarpConfig c = loaded.config();
            assertThat(c.vhid()).isEqualTo(1);
            assertThat(c.advskew()).isEqualTo(2);
            assertThat(c.advbase()).isEqualTo(3);
            assertThat(c.deadratio()).isEqualTo(3);
            assertThat(loaded.origins().get("vhid")).isEqualTo(Origin.COMMAND_LINE);
            assertThat(loaded.origins().get("advskew")).isEqualTo(Origin.environment("KARP_EXTRA_FLAGS"));
            assertThat(loaded.origins().get("advbase")).isEqualTo(Origin.file(yaml.toString()));
            assertThat(loaded.origins().get("deadratio").source()).isEqualTo(Origin.Source.DEFAULT);
        }

        @Test
        void extraFlagsBeatTheOtherKarpVariables() {
            // given: kube-karp put KARP_EXTRA_FLAGS last on ucarp's command line, so they won
            Map<String, String> env = Map.of("KARP_SERVER_ID", "10");

            // when
            KarpConfig c = loader.load(flags(), Map.of(Setting.VHID, "12"), env).config();

            // then
            assertThat(c.vhid()).isEqualTo(12);
        }

        @Test
        void aPasswordFileOnTheCommandLineReplacesAPasswordFromTheEnvironment() throws IOException {
            // given
            Path pw = file("pw", "fromfile\n");
            Map<Setting, String> f = only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, pw.toString());

            // when
            KarpConfig c = loader.load(f, Map.of("KARP_PASSWORD", "fromenv")).config();

            // then
            assertThat(c.password()).isEqualTo(CarpPassword.of("fromfile"));
        }

        @Test
        void theConfigFileCanBeNamedInExtraFlags() throws IOException {
            // given
            Path yaml = file("karp.yaml", "advskew: 77\n");

            // when
            KarpConfig c = loader.load(flags(), Map.of(Setting.CONFIG, yaml.toString()), Map.of()).config();

            // then
            assertThat(c.advskew()).isEqualTo(77);
        }

        @Test
        void anAddressOnTheCommandLineDoesNotTakeThePrefixOfAVipInTheFile() throws IOException {
            // given: the prefix travels with its address
            Path yaml = file("karp.yaml", "vip: 10.200.0.100/16\n");
            Map<Setting, String> f = flags(Setting.ADDR, "10.200.0.101", Setting.CONFIG, yaml.toString());

            // when
            KarpConfig c = loader.load(f, NO_ENV).config();

            // then
            assertThat(c.vipCidr()).isEqualTo("10.200.0.101/24");
        }
    }

    @Nested
    class KubeKarpEnvironment {
        /** The variables kube-karp's Helm chart sets (helm/templates/daemonset.yaml), with its values' defaults. */
        private Map<String, String> helmChartDefaults() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("KARP_INTERFACE", "eth0");
            env.put("KARP_VIRTUAL_IP", "10.200.0.100");
            env.put("KARP_SUBNET", "24");
            env.put("KARP_SERVER_ID", "10");
            env.put("KARP_PASSWORD", "Xq3vT9bLm2Pz8RwA");
            return env;
        }

        @Test
        void theHelmChartsVariablesGiveACompleteConfiguration() {
            // given
            Map<String, String> env = helmChartDefaults();

            // when
            LoadedConfig loaded = loader.load(Map.of(), env);

            // then
            KarpConfig c = loaded.config();
            assertThat(c.interfaceName()).isEqualTo("eth0");
            assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.11");
            assertThat(c.vhid()).isEqualTo(10);
            assertThat(c.password()).isEqualTo(CarpPassword.of("Xq3vT9bLm2Pz8RwA"));
            assertThat(c.vipCidr()).isEqualTo("10.200.0.100/24");
            assertThat(c.xparam()).contains("24");
            assertThat(loaded.warnings()).isEmpty();
        }

        @Test
        void karpSubnetSetsThePrefixEvenWhenTheInterfaceSubnetDiffers() {
            // given
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_SUBNET", "16");

            // when
            KarpConfig c = loader.load(Map.of(), env).config();

            // then
            assertThat(c.vipCidr()).isEqualTo("10.200.0.100/16");
        }

        @Test
        void emptyVariablesMeanNotSetAsInKubeKarpsImage() {
            // given: the image declares ENV KARP_INTERFACE= and KARP_HOST_IP=
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_INTERFACE", "");
            env.put("KARP_HOST_IP", "");
            env.put("KARP_DEBUG", "");

            // when
            KarpConfig c = loader.load(Map.of(), env).config();

            // then
            assertThat(c.interfaceName()).isEqualTo("eth0");
            assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.11");
            assertThat(c.debug()).isFalse();
        }

        @Test
        void hostIpSetsTheSourceAddress() {
            // given
            var host = new FakeHostInterfaces().with("eth0", "10.200.0.11/24", "10.200.0.12/24").defaultRoute("eth0");
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_HOST_IP", "10.200.0.12");

            // when
            KarpConfig c = new ConfigLoader(host).load(Map.of(), env).config();

            // then
            assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo("10.200.0.12");
        }

        @Test
        void anyNonEmptyDebugValueEnablesDebugLikeKubeKarp() {
            // given
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_DEBUG", "1");

            // when
            KarpConfig c = loader.load(Map.of(), env).config();

            // then
            assertThat(c.debug()).isTrue();
        }

        @Test
        void debugFalseIsOff() {
            // given
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_DEBUG", "false");

            // when
            KarpConfig c = loader.load(Map.of(), env).config();

            // then
            assertThat(c.debug()).isFalse();
        }

        @Test
        void upAndDownScriptsComeFromTheirVariables() throws IOException {
            // given
            Path up = script("up.sh");
            Path down = script("down.sh");
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_UPSCRIPT", up.toString());
            env.put("KARP_DOWNSCRIPT", down.toString());

            // when
            KarpConfig c = loader.load(Map.of(), env).config();

            // then
            assertThat(c.upscript()).contains(up);
            assertThat(c.downscript()).contains(down);
        }

        @Test
        void aVirtualIpWithAPrefixIsAccepted() {
            // given
            Map<String, String> env = helmChartDefaults();
            env.remove("KARP_SUBNET");
            env.put("KARP_VIRTUAL_IP", "10.200.0.100/25");

            // when
            KarpConfig c = loader.load(Map.of(), env).config();

            // then
            assertThat(c.vipCidr()).isEqualTo("10.200.0.100/25");
        }

        @Test
        void aBadValueFromTheEnvironmentNamesTheVariable() {
            // given
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_SERVER_ID", "0");

            // when
            String message = messageOf(Map.of(), env);

            // then
            assertThat(message).isEqualTo("--vhid 0 (from KARP_SERVER_ID) is out of range (expected: 1..255)");
        }

        @Test
        void aBadSubnetIsNamed() {
            // given
            Map<String, String> env = helmChartDefaults();
            env.put("KARP_SUBNET", "33");

            // when
            String message = messageOf(Map.of(), env);

            // then
            assertThat(message).isEqualTo("KARP_SUBNET=33 is not a prefix length (expected: 1..32, e.g. 24)");
        }

        @Test
        void kubeKarpsPlaceholderPasswordIsNotADefault() {
            // given: kube-karp's image defaulted KARP_PASSWORD to a published placeholder; karp requires one
            Map<String, String> env = helmChartDefaults();
            env.remove("KARP_PASSWORD");

            // when
            String message = messageOf(Map.of(), env);

            // then
            assertThat(message).isEqualTo("no password given; use --password-file FILE "
                    + "(or --pass, KARP_PASSWORD, or 'password-file' in --config)");
        }
    }

    @Nested
    class ValidationMessages {
        @ParameterizedTest(name = "{0} {1} -> {2}")
        @CsvSource(delimiter = '|', value = {
            "VHID      | 0    | --vhid 0 is out of range (expected: 1..255)",
            "VHID      | 256  | --vhid 256 is out of range (expected: 1..255)",
            "VHID      | -1   | --vhid -1 is out of range (expected: 1..255)",
            "VHID      | 99999999999 | --vhid 99999999999 is out of range (expected: 1..255)",
            "VHID      | seven | --vhid seven is not a number (expected: 1..255)",
            "VHID      | 010  | --vhid 010 has a leading zero, which UCarp reads as octal (8); write it in decimal without leading zeros",
            "VHID      | 0x07 | --vhid 0x07 is not a decimal number (UCarp would read it as 7); write it in decimal (expected: 1..255)",
            "ADVSKEW   | 300  | --advskew 300 is out of range (expected: 0..255)",
            "ADVBASE   | 256  | --advbase 256 is out of range (expected: 0..255)",
            "DEADRATIO | 0    | --deadratio 0 is out of range (expected: 1..255)",
            "GARP_COUNT | 0   | --garp-count 0 is out of range (expected: 1..10)",
            "GARP_COUNT | 11  | --garp-count 11 is out of range (expected: 1..10)",
            "SCRIPT_TIMEOUT | 0s | --script-timeout 0s is out of range (expected: 1s..1h)",
            "SCRIPT_TIMEOUT | 2h | --script-timeout 2h is not a duration (expected e.g. 30s, 500ms or 2m)",
            "SCRIPT_TIMEOUT | 61m | --script-timeout 61m is out of range (expected: 1s..1h)",
            "MCASTIP   | 10.0.0.1 | --mcastip 10.0.0.1 is not a multicast address (expected: 224.0.0.0 to 239.255.255.255)",
            "MCASTIP   | 224.0.0 | --mcastip 224.0.0 is not an IPv4 address (expected: four numbers like 10.0.0.1)",
            "SRCIP     | 10.200.0.99 | --srcip 10.200.0.99 is not an address of eth0 (eth0 has: 10.200.0.11/24); check --srcip and --interface",
            "SRCIP     | 10.200.0.100 | --srcip 10.200.0.100 is not an address of eth0 (eth0 has: 10.200.0.11/24); check --srcip and --interface",
            "INTERFACE | eth9 | interface eth9 not found (available: eth0, lo); check --interface",
            "STATUS_ADDR | localhost:9241 | --status-addr localhost:9241 is not ADDRESS:PORT (expected e.g. 127.0.0.1:9241, or off)",
            "STATUS_ADDR | 127.0.0.1:70000 | --status-addr 127.0.0.1:70000 is not ADDRESS:PORT (expected e.g. 127.0.0.1:9241, or off)",
            "METRICS_ADDR | 9242 | --metrics-addr 9242 is not ADDRESS:PORT (expected e.g. 127.0.0.1:9242 or 0.0.0.0:9242, or off)",
            "UPSCRIPT  | /nonexistent/up.sh | --upscript /nonexistent/up.sh does not exist",
            "DOWNSCRIPT | /nonexistent/down.sh | --downscript /nonexistent/down.sh does not exist",
            "DAEMONIZE | true | --daemonize is not supported: karp stays in the foreground; run it from systemd or as a container",
        })
        void eachBadValueGivesOneLineNamingTheOption(Setting setting, String value, String expected) {
            // given
            Map<Setting, String> f = flags(setting, value);

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "fd00::1       | --addr fd00::1 is not an IPv4 address (karp, like UCarp, supports IPv4 only)",
            "vip.example   | --addr vip.example is not an IPv4 address (expected: four numbers like 10.0.0.1)",
            "10.200.0.256  | --addr 10.200.0.256 is not an IPv4 address (expected: four numbers 0..255 like 10.0.0.1)",
            "10.200.0.010  | --addr 10.200.0.010 is not an IPv4 address (expected: four numbers 0..255 like 10.0.0.1)",
            "10.200.0.5/24 | --addr 10.200.0.5/24 takes an address without prefix; use --vip 10.200.0.5/24 for an address with prefix",
        })
        void aVipThatIsNotIpv4IsRefused(String addr, String expected) {
            // given
            Map<Setting, String> f = flags(Setting.ADDR, addr);

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo(expected);
        }

        @Test
        void aVipPrefixOutOfRangeIsRefused() {
            // given
            Map<Setting, String> f = only(Setting.PASS, "s3cret", Setting.VIP, "10.200.0.100/33");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo("--vip 10.200.0.100/33 has an invalid prefix (expected: /1 to /32)");
        }

        @Test
        void advbaseZeroWithAdvskewZeroIsRefused() {
            // given
            Map<Setting, String> f = flags(Setting.ADVBASE, "0");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo(
                    "--advbase 0 needs --advskew 1..255 (with both 0 the advertisement interval would be zero)");
        }

        @Test
        void advbaseZeroWithASkewIsAccepted() {
            // given: ucarp-spec §4.12
            Map<Setting, String> f = flags(Setting.ADVBASE, "0", Setting.ADVSKEW, "100");

            // when
            KarpConfig c = loader.load(f, NO_ENV).config();

            // then
            assertThat(c.advbase()).isZero();
        }

        @Test
        void aPasswordOfTwentyBytesIsRefused() {
            // given
            Map<Setting, String> f = flags(Setting.PASS, "12345678901234567890");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo("--pass is 20 bytes long; UCarp's limit is 19 bytes");
        }

        @Test
        void aPasswordOfNineteenBytesIsAccepted() {
            // given
            Map<Setting, String> f = flags(Setting.PASS, "1234567890123456789");

            // when
            KarpConfig c = loader.load(f, NO_ENV).config();

            // then
            assertThat(c.password().length()).isEqualTo(19);
        }

        @Test
        void anEmptyPasswordIsRefused() {
            // given
            Map<Setting, String> f = flags(Setting.PASS, "");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo("--pass is empty; give a password of 1 to 19 bytes");
        }

        @Test
        void aTooLongPasswordFromTheEnvironmentIsNamedWithoutShowingIt() {
            // given
            Map<Setting, String> f = only(Setting.ADDR, "10.200.0.100");

            // when
            String message = messageOf(f, Map.of("KARP_PASSWORD", "averyveryverylongsecret"));

            // then
            assertThat(message).isEqualTo("--pass (from KARP_PASSWORD) is 23 bytes long; UCarp's limit is 19 bytes");
            assertThat(message).doesNotContain("averyveryverylongsecret");
        }

        @Test
        void noVipIsRefused() {
            // given
            Map<Setting, String> f = only(Setting.PASS, "s3cret");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo("no VIP given; use --vip ADDRESS/PREFIX (or --addr, KARP_VIRTUAL_IP, "
                    + "or 'vip' in --config)");
        }

        @Test
        void bothAddrAndVipInOneSourceAreRefused() {
            // given
            Map<Setting, String> f = flags(Setting.VIP, "10.200.0.100/24");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo("--addr and --vip are both given; use one");
        }

        @Test
        void bothPassAndPassfileInOneSourceAreRefused() {
            // given
            Map<Setting, String> f = flags(Setting.PASSFILE, "/etc/karp/password");

            // when
            String message = messageOf(f, NO_ENV);

            // then
            assertThat(message).isEqualTo("--pass and --passfile are both given; use one");
        }

        @Test
        void noDefaultRouteAndNoInterfaceIsRefused() {
            // given
            var host = new FakeHostInterfaces().with("eth0", "10.200.0.11/24").with("lo", "127.0.0.1/8");

            // when
            String message;
            try {
                new ConfigLoader(host).load(flags(), NO_ENV);
                throw new AssertionError("expected a ConfigException");
            } catch (ConfigException e) {
                message = e.getMessage();
            }

            // then
            assertThat(message).isEqualTo(
                    "no interface holds the default route, so --interface must be given (available: eth0, lo)");
        }

        @Test
        void anInterfaceWithoutIpv4AddressNeedsSrcip() {
            // given
            var host = FakeHostInterfaces.nodeA().with("eth1");

            // when
            String message;
            try {
                new ConfigLoader(host).load(flags(Setting.INTERFACE, "eth1"), NO_ENV);
                throw new AssertionError("expected a ConfigException");
            } catch (ConfigException e) {
                message = e.getMessage();
            }

            // then
            assertThat(message).isEqualTo(
                    "eth1 has no IPv4 address other than the VIP, so adverts would have no source address; "
                    + "add one or choose another --interface");
        }

        @Test
        void anInterfaceFromTheEnvironmentThatIsMissingIsNamed() {
            // given
            Map<String, String> env = Map.of("KARP_INTERFACE", "enp0s3");

            // when
            String message = messageOf(flags(), env);

            // then
            assertThat(message).isEqualTo(
                    "interface enp0s3 (from KARP_INTERFACE) not found (available: eth0, lo); check --interface");
        }

        @Test
        void aScriptThatIsNotExecutableIsRefused() throws IOException {
            // given
            Path notExecutable = file("up.sh", "#!/bin/sh\n");

            // when
            String message = messageOf(flags(Setting.UPSCRIPT, notExecutable.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--upscript " + notExecutable + " is not an executable file; karp runs it "
                    + "directly (not through a shell), so it needs 'chmod +x'");
        }

        @Test
        void aBadValueInTheFileNamesTheFile() throws IOException {
            // given
            Path yaml = file("karp.yaml", "advskew: 300\n");

            // when
            String message = messageOf(flags(Setting.CONFIG, yaml.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--advskew 300 (from " + yaml + ") is out of range (expected: 0..255)");
        }

        @Test
        void aLeadingZeroInTheFileIsRefusedLikeOnTheCommandLine() throws IOException {
            // given: YAML 1.1 would read 010 as octal 8, like UCarp
            Path yaml = file("karp.yaml", "vhid: 010\n");

            // when
            String message = messageOf(flags(Setting.CONFIG, yaml.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--vhid 010 (from " + yaml + ") has a leading zero, which UCarp reads as "
                    + "octal (8); write it in decimal without leading zeros");
        }

        @Test
        void aMissingConfigFileIsNamed() {
            // given
            Path missing = dir.resolve("absent.yaml");

            // when
            String message = messageOf(flags(Setting.CONFIG, missing.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--config " + missing + " cannot be read: no such file");
        }
    }

    @Nested
    class PasswordFiles {
        @Test
        void thePasswordIsTheFirstLineWithoutItsNewline() throws IOException {
            // given
            Path pw = file("pw", "s3cret\nsecond line\n");

            // when
            KarpConfig c = loader.load(only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, pw.toString()), NO_ENV).config();

            // then
            assertThat(c.password()).isEqualTo(CarpPassword.of("s3cret"));
        }

        @Test
        void aFileWithoutNewlineIsTheWholePassword() throws IOException {
            // given
            Path pw = file("pw", "s3cret");

            // when
            KarpConfig c = loader.load(only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, pw.toString()), NO_ENV).config();

            // then
            assertThat(c.password()).isEqualTo(CarpPassword.of("s3cret"));
        }

        @Test
        void aCarriageReturnStaysInThePasswordAndIsWarnedAbout() throws IOException {
            // given: ucarp-spec §2.1, only the \n is removed
            Path pw = file("pw", "s3cret\r\n");
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));

            // when
            LoadedConfig loaded = loader.load(only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, pw.toString()), NO_ENV);

            // then
            assertThat(loaded.config().password()).isEqualTo(CarpPassword.of("s3cret\r"));
            assertThat(loaded.warnings()).containsExactly("--passfile " + pw + ": the password ends with a carriage "
                    + "return (\\r), which stays part of it as in UCarp; remove it if the file has Windows line endings");
        }

        @Test
        void anUnreadableFileIsNamed() {
            // given
            Path missing = dir.resolve("nope");

            // when
            String message = messageOf(only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, missing.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--passfile " + missing + " cannot be read: no such file");
        }

        @Test
        void anEmptyFirstLineIsRefused() throws IOException {
            // given
            Path pw = file("pw", "\ns3cret\n");

            // when
            String message = messageOf(only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, pw.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--passfile " + pw + " has an empty first line; the password is the file's first line");
        }

        @Test
        void aTooLongFirstLineIsRefusedWithoutShowingIt() throws IOException {
            // given
            Path pw = file("pw", "twentybytes-password\n");

            // when
            String message = messageOf(only(Setting.ADDR, "10.200.0.100", Setting.PASSFILE, pw.toString()), NO_ENV);

            // then
            assertThat(message).isEqualTo("--passfile " + pw + " holds a password of 20 bytes; UCarp's limit is 19 bytes");
        }
    }

    @Nested
    class Warnings {
        @Test
        void passOnTheCommandLineWarnsThatPsShowsIt() {
            // given: a password typed with --pass

            // when
            LoadedConfig loaded = loader.load(flags(), NO_ENV);

            // then
            assertThat(loaded.warnings()).containsExactly("--pass puts the password in the process list "
                    + "(ps, /proc/PID/cmdline) for every local user to read; prefer --password-file FILE");
        }

        @Test
        void facilityNoneIsSilentlyAcceptedAndOtherFacilitiesAreIgnoredWithAWarning() {
            // given
            Map<Setting, String> f = only(Setting.ADDR, "10.200.0.100", Setting.FACILITY, "local0");

            // when
            LoadedConfig loaded = loader.load(f, Map.of("KARP_PASSWORD", "s3cret"));

            // then
            assertThat(loaded.warnings()).containsExactly(
                    "--facility local0 is ignored: karp logs to standard error, not to syslog");
        }

        @Test
        void aNonLoopbackStatusAddressIsAcceptedWithAWarning() {
            // given
            Map<Setting, String> f = only(Setting.ADDR, "10.200.0.100", Setting.STATUS_ADDR, "0.0.0.0:9241");

            // when
            LoadedConfig loaded = loader.load(f, Map.of("KARP_PASSWORD", "s3cret"));

            // then
            assertThat(loaded.config().statusAddress()).map(a -> a.getPort()).contains(9241);
            assertThat(loaded.warnings()).containsExactly("--status-addr 0.0.0.0:9241 is not a loopback address: "
                    + "anyone who can reach it can read this node's status (it has no authentication)");
        }

        @Test
        void metricsAreOffUnlessAnAddressIsGiven() {
            // given
            Map<Setting, String> none = flags();
            Map<Setting, String> given = flags(Setting.METRICS_ADDR, "0.0.0.0:9242");

            // when
            KarpConfig off = loader.load(none, NO_ENV).config();
            KarpConfig on = loader.load(given, NO_ENV).config();

            // then
            assertThat(off.metricsAddress()).isEmpty();
            assertThat(on.metricsAddress()).map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                    .contains("0.0.0.0:9242");
        }

        @Test
        void statusAddrOffDisablesTheEndpoint() {
            // given
            Map<Setting, String> f = flags(Setting.STATUS_ADDR, "off");

            // when
            KarpConfig c = loader.load(f, NO_ENV).config();

            // then
            assertThat(c.statusAddress()).isEqualTo(Optional.empty());
        }
    }

    @Nested
    class Describe {
        @Test
        void theEffectiveConfigurationShowsSourcesAndHidesThePassword() {
            // given
            Map<String, String> env = Map.of("KARP_SERVER_ID", "7", "KARP_PASSWORD", "s3cret");

            // when
            var lines = loader.load(only(Setting.ADDR, "10.200.0.100"), env).describe();

            // then
            assertThat(String.join("\n", lines)).doesNotContain("s3cret");
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("pass: \\(hidden, 6 bytes\\) +# environment KARP_PASSWORD"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("vhid: 7 +# environment KARP_SERVER_ID"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                    "vip: 10.200.0.100/24 +# command line; prefix: default: subnet 10.200.0.11/24 of eth0"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("interface: eth0 +# default: holds the default route"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("status-addr: 127.0.0.1:9241 +# default"));
        }
    }
}
