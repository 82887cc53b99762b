package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.cli.options.RunOptions;
import dev.karp.config.Setting;
import dev.karp.config.YamlConfigFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (src/dist/karp) keeps the JIT for {@code karp run} at advbase 0 or with 8 groups or more, and
 * interprets otherwise. It finds advbase with a shell scan of its own; this checks the scan against what karp run reads, for every spelling of
 * the option that picocli accepts (from {@link Setting#ADVBASE} and the switches it can be clustered with), so a
 * new spelling cannot slip past the launcher.
 */
class LauncherTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void install() throws IOException {
        // The build-tree layout: karp beside karp.jar, and a "java" that prints the flags it was given.
        Files.copy(Path.of("src", "dist", "karp"), dir.resolve("karp"));
        Files.createFile(dir.resolve("karp.jar"));
        Files.writeString(dir.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(dir.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Whether the launcher keeps the JIT for {@code karp run ARGS} with this KARP_EXTRA_FLAGS (null: unset). */
    private static boolean launcherKeepsJit(List<String> args, String extraFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", dir.resolve("karp").toString(), "run"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KARP_"));
        pb.environment().put("KARP_JAVA", dir.resolve("java").toString());
        if (extraFlags != null) {
            pb.environment().put("KARP_EXTRA_FLAGS", extraFlags);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> flags = out.lines().toList();
        assertThat(flags).as(out).containsAnyOf("-Xint", "-XX:TieredStopAtLevel=1");
        return flags.contains("-XX:TieredStopAtLevel=1");
    }

    /** Whether karp run reads advbase 0: the command line, else KARP_EXTRA_FLAGS, else the --config file. */
    private static boolean karpReadsAdvbaseZero(List<String> args, String extraFlags) {
        // The command line and KARP_EXTRA_FLAGS are parsed by the same options.
        Map<Setting, String> cli = RunOptions.extraFlags(Map.of("KARP_EXTRA_FLAGS", String.join(" ", args)));
        Map<Setting, String> env = RunOptions.extraFlags(extraFlags == null ? Map.of()
                : Map.of("KARP_EXTRA_FLAGS", extraFlags));
        String advbase = cli.getOrDefault(Setting.ADVBASE, env.get(Setting.ADVBASE));
        String config = cli.getOrDefault(Setting.CONFIG, env.get(Setting.CONFIG));
        if (advbase == null && config != null) {
            advbase = YamlConfigFile.read(Path.of(config)).get(Setting.ADVBASE);
        }
        return advbase != null && advbase.trim().equals("0");
    }

    private static void check(List<String> args, String extraFlags) throws Exception {
        assertThat(launcherKeepsJit(args, extraFlags)).as("karp run %s with KARP_EXTRA_FLAGS=%s", args, extraFlags)
                .isEqualTo(karpReadsAdvbaseZero(args, extraFlags));
    }

    /** Every way to write advbase VALUE: each name with a blank or '=', attached, and behind each switch. */
    private static List<List<String>> spellings(String value) {
        List<List<String>> all = new ArrayList<>();
        for (String name : RunOptions.names(Setting.ADVBASE)) {
            all.add(List.of(name, value));
            all.add(List.of(name + "=" + value));
            if (!name.startsWith("--")) {
                all.add(List.of(name + value));
                String letter = name.substring(1);
                StringBuilder allSwitches = new StringBuilder("-");
                for (Setting s : Setting.values()) {
                    if (!s.takesValue() && s.shortName().isPresent()) {
                        char c = s.shortName().get();
                        allSwitches.append(c);
                        all.add(List.of("-" + c + letter + value));
                        all.add(List.of("-" + c + letter, value));
                    }
                }
                all.add(List.of(allSwitches + letter + value));
            }
        }
        return all;
    }

    @Test
    void everySpellingOfAdvbaseZeroKeepsTheJitOnTheCommandLineAndInExtraFlags() throws Exception {
        for (List<String> words : spellings("0")) {
            check(words, null);
            check(List.of(), String.join(" ", words));
        }
    }

    @Test
    void otherAdvbasesAreInterpreted() throws Exception {
        check(List.of(), null);
        for (List<String> words : spellings("1")) {
            check(words, null);
            check(List.of(), String.join(" ", words));
        }
        check(List.of("--advbase", "00"), null);
        check(List.of("--advskew", "0"), null);
    }

    @Test
    void theCommandLineBeatsExtraFlags() throws Exception {
        check(List.of("--advbase", "1"), "-b 0");
        check(List.of("-b0"), "--advbase 1");
    }

    @Test
    void theConfigFileCountsWhenNoFlagSetsAdvbase() throws Exception {
        Path zero = Files.writeString(dir.resolve("zero.yaml"), "vhid: 7\nadvbase: 0   # sub-second\nadvskew: 13\n");
        Path one = Files.writeString(dir.resolve("one.yaml"), "advbase: 1\n");
        Path none = Files.writeString(dir.resolve("none.yaml"), "advskew: 0\n");
        Path quoted = Files.writeString(dir.resolve("quoted.yaml"), "advbase: \"0\"");

        check(List.of("--config", zero.toString()), null);
        check(List.of("--config=" + zero), null);
        check(List.of(), "--config " + zero);
        check(List.of("--config", quoted.toString()), null);
        check(List.of("--config", one.toString()), null);
        check(List.of("--config", none.toString()), null);
        check(List.of("--config", zero.toString(), "-b", "1"), null);
        check(List.of("--config", zero.toString()), "--advbase 1");
        check(List.of("--config", one.toString()), "--config " + zero);
    }

    @Test
    void aConfigWithEightGroupsOrMoreKeepsTheJit() throws Exception {
        // Issue 14: an advert a second per group costs ten times as much interpreted; 100 groups took 7-9 % of a core.
        for (int n : new int[] {1, 7, 8, 100}) {
            StringBuilder yaml = new StringBuilder("interface: eth0\nadvbase: 1\ngroups:\n");
            for (int g = 1; g <= n; g++) {
                // Both orders of an item's keys, and the vhid as the item's first key or a line of its own.
                yaml.append(g % 2 == 0 ? "  - vhid: " + g + "\n    vip: 10.200.0." + g + "/24\n"
                        : "  -   vip: 10.200.0." + g + "/24\n      vhid: " + g + "  # group " + g + "\n");
            }
            yaml.append("# vhid: 0 in a comment does not count\n");
            Path file = Files.writeString(dir.resolve("groups-" + n + ".yaml"), yaml);
            assertThat(YamlConfigFile.readContents(file).groups()).hasSize(n);
            assertThat(launcherKeepsJit(List.of("--config", file.toString()), null)).as("%d groups", n)
                    .isEqualTo(n >= 8);
            // advbase 0 keeps it whatever the count.
            assertThat(launcherKeepsJit(List.of("--config", file.toString(), "-b", "0"), null)).isTrue();
        }
    }
}
