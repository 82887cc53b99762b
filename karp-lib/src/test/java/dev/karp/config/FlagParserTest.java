package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagParserTest {
    @Test
    void longOptionsTakeTheirValueAfterABlankOrAnEqualsSign() {
        // given
        List<String> words = List.of("--vhid", "7", "--addr=10.0.0.1");

        // when
        Map<Setting, String> m = FlagParser.parse(words);

        // then
        assertThat(m).containsExactly(Map.entry(Setting.VHID, "7"), Map.entry(Setting.ADDR, "10.0.0.1"));
    }

    @Test
    void shortOptionsTakeTheirValueAttachedOrNext() {
        // given
        List<String> words = List.of("-v7", "-k", "50");

        // when
        Map<Setting, String> m = FlagParser.parse(words);

        // then
        assertThat(m).containsExactly(Map.entry(Setting.VHID, "7"), Map.entry(Setting.ADVSKEW, "50"));
    }

    @Test
    void bundledSwitchesAreEachSet() {
        // given
        List<String> words = List.of("-PnS", "-Mk", "9");

        // when
        Map<Setting, String> m = FlagParser.parse(words);

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
        Map<Setting, String> m = FlagParser.parse(words);

        // then
        assertThat(m).containsExactly(Map.entry(Setting.XPARAM, "A"));
    }

    @Test
    void aliasesNameTheSameOption() {
        // given
        List<String> words = List.of("--password-file", "/p", "--mcast", "239.0.0.7");

        // when
        Map<Setting, String> m = FlagParser.parse(words);

        // then
        assertThat(m).containsExactly(Map.entry(Setting.PASSFILE, "/p"), Map.entry(Setting.MCASTIP, "239.0.0.7"));
    }

    @Test
    void anUnknownLongOptionIsNamed() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("--advskw", "5")))
                .hasMessage("unknown option --advskw");
    }

    @Test
    void anUnknownShortOptionIsNamed() {
        // ucarp-spec §5: UCarp's help lists -m, but it is not a valid option
        assertThatThrownBy(() -> FlagParser.parse(List.of("-m", "239.0.0.7")))
                .hasMessage("unknown option -m");
    }

    @Test
    void aMissingValueIsNamed() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("-k")))
                .hasMessage("-k (--advskew) needs a value");
    }

    @Test
    void aSwitchGivenAValueIsRefused() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("--preempt=yes")))
                .hasMessage("--preempt takes no value (found '--preempt=yes')");
    }

    @Test
    void aWordThatIsNotAnOptionIsRefused() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("-P", "eth0")))
                .hasMessage("unexpected argument 'eth0' (only options are accepted)");
    }
}
