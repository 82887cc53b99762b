package dev.karp.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.config.ConfigException;
import dev.karp.config.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KARP_EXTRA_FLAGS, parsed by the same picocli options as the command line. */
class RunOptionsTest {
    @Test
    void longOptionsTakeTheirValueAfterABlankOrAnEqualsSign() {
        // given
        List<String> words = List.of("--vhid", "7", "--addr=10.0.0.1");

        // when
        Map<Setting, String> m = RunOptions.parseExtraFlags(words);

        // then
        assertThat(m).containsOnly(Map.entry(Setting.VHID, "7"), Map.entry(Setting.ADDR, "10.0.0.1"));
    }

    @Test
    void shortOptionsTakeTheirValueAttachedOrNext() {
        // given
        List<String> words = List.of("-v7", "-k", "50");

        // when
        Map<Setting, String> m = RunOptions.parseExtraFlags(words);

        // then
        assertThat(m).containsOnly(Map.entry(Setting.VHID, "7"), Map.entry(Setting.ADVSKEW, "50"));
    }

    @Test
    void bundledSwitchesAreEachSet() {
        // given
        List<String> words = List.of("-PnS", "-Mk", "9");

        // when
        Map<Setting, String> m = RunOptions.parseExtraFlags(words);

        // then
        assertThat(m).containsOnly(Map.entry(Setting.PREEMPT, "true"), Map.entry(Setting.NEUTRAL, "true"),
                Map.entry(Setting.IGNOREIFSTATE, "true"), Map.entry(Setting.NOMCAST, "true"),
                Map.entry(Setting.ADVSKEW, "9"));
    }

    @Test
    void aLaterOccurrenceReplacesAnEarlierOneLikeGetopt() {
        // given
        List<String> words = List.of("--xparam=24", "-x", "A");

        // when
        Map<Setting, String> m = RunOptions.parseExtraFlags(words);

        // then
        assertThat(m).containsOnly(Map.entry(Setting.XPARAM, "A"));
    }

    @Test
    void aliasesNameTheSameOption() {
        // given
        List<String> words = List.of("--password-file", "/p", "--mcast", "239.0.0.7");

        // when
        Map<Setting, String> m = RunOptions.parseExtraFlags(words);

        // then
        assertThat(m).containsOnly(Map.entry(Setting.PASSFILE, "/p"), Map.entry(Setting.MCASTIP, "239.0.0.7"));
    }

    @Test
    void everySettingHasEachOfItsSpellings() {
        for (Setting s : Setting.values()) {
            for (String name : RunOptions.names(s)) {
                // given
                List<String> words = s.takesValue() ? List.of(name, "x") : List.of(name);

                // when
                Map<Setting, String> m = RunOptions.parseExtraFlags(words);

                // then
                assertThat(m).as(name).containsOnly(Map.entry(s, s.takesValue() ? "x" : "true"));
            }
        }
    }

    @Test
    void anUnknownLongOptionIsNamed() {
        assertThatThrownBy(() -> RunOptions.parseExtraFlags(List.of("--advskw", "5")))
                .hasMessage("unknown option --advskw");
    }

    @Test
    void anUnknownShortOptionIsNamed() {
        // ucarp-spec §5: UCarp's help lists -m, but it is not a valid option
        assertThatThrownBy(() -> RunOptions.parseExtraFlags(List.of("-m", "239.0.0.7")))
                .hasMessage("unknown option -m");
    }

    @Test
    void aMissingValueIsNamed() {
        assertThatThrownBy(() -> RunOptions.parseExtraFlags(List.of("-k")))
                .hasMessage("--advskew needs a value");
    }

    @Test
    void aSwitchGivenAValueIsRefused() {
        assertThatThrownBy(() -> RunOptions.parseExtraFlags(List.of("--preempt=yes")))
                .hasMessageContaining("--preempt").hasMessageContaining("yes");
    }

    @Test
    void aWordThatIsNotAnOptionIsRefused() {
        assertThatThrownBy(() -> RunOptions.parseExtraFlags(List.of("-P", "eth0")))
                .hasMessage("unexpected argument 'eth0' (only options are accepted)");
    }

    @Test
    void theVariableIsSplitLikeAShellCommandLine() {
        // given
        Map<String, String> env = Map.of("KARP_EXTRA_FLAGS", "-P -k 50 --upscript '/tmp/up script.sh' --xparam=\"node a\"");

        // when
        Map<Setting, String> m = RunOptions.extraFlags(env);

        // then
        assertThat(m).containsOnly(Map.entry(Setting.PREEMPT, "true"), Map.entry(Setting.ADVSKEW, "50"),
                Map.entry(Setting.UPSCRIPT, "/tmp/up script.sh"), Map.entry(Setting.XPARAM, "node a"));
    }

    @Test
    void anUnsetOrBlankVariableGivesNothing() {
        assertThat(RunOptions.extraFlags(Map.of())).isEmpty();
        assertThat(RunOptions.extraFlags(Map.of("KARP_EXTRA_FLAGS", " \t"))).isEmpty();
    }

    @Test
    void anUnknownExtraFlagIsOneLineNamingTheVariable() {
        // given
        Map<String, String> env = Map.of("KARP_EXTRA_FLAGS", "--preempt --bogus 1");

        // when / then
        assertThatThrownBy(() -> RunOptions.extraFlags(env)).isInstanceOf(ConfigException.class)
                .hasMessage("KARP_EXTRA_FLAGS unknown option --bogus; see 'karp run --help'");
    }

    @Test
    void anUnterminatedQuoteInExtraFlagsIsNamed() {
        // given
        Map<String, String> env = Map.of("KARP_EXTRA_FLAGS", "--xparam 'a b");

        // when / then
        assertThatThrownBy(() -> RunOptions.extraFlags(env)).isInstanceOf(ConfigException.class)
                .hasMessage("KARP_EXTRA_FLAGS has an unterminated ' quote; see 'karp run --help'");
    }

    @Test
    void anAtWordIsNotAnArgumentFile() {
        assertThat(RunOptions.parseExtraFlags(List.of("-x", "@/etc/hostname"))).containsOnly(Map.entry(Setting.XPARAM, "@/etc/hostname"));
    }
}
