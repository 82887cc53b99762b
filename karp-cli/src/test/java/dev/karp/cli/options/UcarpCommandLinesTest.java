package dev.karp.cli.options;

import dev.karp.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.CarpPassword;
import dev.karp.config.ConfigLoader;
import dev.karp.config.HostInterface;
import dev.karp.config.HostInterfaces;
import dev.karp.config.KarpConfig;
import dev.karp.config.LoadedConfig;
import dev.karp.net.IpAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real UCarp command lines of the shared vectors work unchanged as karp options (drop-in). */
class UcarpCommandLinesTest {
    /** A host whose eth0 has this address in a /24 and holds the default route. */
    private static HostInterfaces eth0(String address) {
        return new HostInterfaces() {
            @Override
            public List<HostInterface> list() {
                return List.of(new HostInterface("eth0", List.of(new Cidr(IpAddresses.parseIpv4(address), 24))));
            }

            @Override
            public Optional<String> defaultRouteInterface() {
                return Optional.of("eth0");
            }
        };
    }

    @TempDir
    static Path kc;

    static Stream<Arguments> commandLines() throws IOException {
        try (InputStream in = UcarpCommandLinesTest.class.getResourceAsStream("ucarp-cmds.log")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> {
                int colon = l.indexOf(": ");
                return Arguments.of(l.substring(0, colon), l.substring(colon + 2));
            }).toList().stream();
        }
    }

    private static List<String> argsOf(String commandLine) throws IOException {
        for (String name : List.of("up.sh", "down.sh")) {
            Path p = kc.resolve(name);
            if (!Files.exists(p)) {
                Files.writeString(p, "#!/bin/sh\n");
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        List<String> words = ShellWords.split(commandLine.replace("/tmp/kc/", kc + "/"));
        assertThat(words.get(0)).isEqualTo("ucarp");
        return words.subList(1, words.size());
    }

    private static String valueAfter(List<String> args, String option) {
        return args.get(args.indexOf(option) + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void eachVectorCommandLineLoadsWithTheValuesUcarpUsed(String name, String commandLine) throws IOException {
        // given: the node's host has eth0 with the --srcip of that command line
        List<String> args = argsOf(commandLine);
        String srcip = valueAfter(args, "-s");
        HostInterfaces host = eth0(srcip);

        // when
        KarpConfig c = new ConfigLoader(host).load(RunOptions.parseExtraFlags(args), Map.of()).config();

        // then
        assertThat(c.interfaceName()).isEqualTo("eth0");
        assertThat(c.vhid()).isEqualTo(7);
        assertThat(c.password()).isEqualTo(CarpPassword.of(valueAfter(args, "-p")));
        assertThat(c.vipText()).isEqualTo("10.200.0.100");
        assertThat(c.advbase()).isEqualTo(1);
        assertThat(c.srcip().orElseThrow().getHostAddress()).isEqualTo(srcip);
        assertThat(c.advskew()).isEqualTo(Integer.parseInt(valueAfter(args, "-k")));
        assertThat(c.upscript()).contains(kc.resolve("up.sh"));
        assertThat(c.downscript()).contains(kc.resolve("down.sh"));
        assertThat(c.xparam()).contains(valueAfter(args, "-x"));
        assertThat(c.preempt()).isEqualTo(args.contains("-P"));
        assertThat(c.nomcast()).isEqualTo(args.contains("-M"));
        assertThat(c.shutdown()).isEqualTo(args.contains("-z"));
        assertThat(c.debug()).isEqualTo(args.contains("-D"));
    }

    @Test
    void nodeBOfTheDebugVectorLoadsExactly() throws IOException {
        // given: logs/00-debug-latency/cmds.log, node B
        List<String> args = argsOf("ucarp -i eth0 -v 7 -p s3cret -a 10.200.0.100 -b 1 -u /tmp/kc/up.sh "
                + "-d /tmp/kc/down.sh -f none -s 10.200.0.12 -k 50 -x B -D");
        HostInterfaces host = eth0("10.200.0.12");

        // when
        LoadedConfig loaded = new ConfigLoader(host).load(RunOptions.parseExtraFlags(args), Map.of());

        // then
        KarpConfig expected = KarpConfig.builder()
                .interfaceName("eth0").srcip(IpAddresses.parseIpv4("10.200.0.12")).vhid(7).password(CarpPassword.of("s3cret"))
                .vip(IpAddresses.parseIpv4("10.200.0.100"), 24).advbase(1).advskew(50)
                .upscript(kc.resolve("up.sh")).downscript(kc.resolve("down.sh")).xparam("B").debug(true)
                .build();
        assertThat(loaded.config()).isEqualTo(expected);
        assertThat(Arrays.asList(loaded.warnings().toArray())).hasSize(1).first().asString().startsWith("--pass puts");
    }
}
