package dev.karp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlConfigFileTest {
    @Test
    void keysAreLongOptionNamesAndValuesKeepTheirText() {
        // given
        String yaml = """
                interface: eth0
                vhid: 7
                vip: 10.200.0.100/24
                password-file: /etc/karp/password
                advskew: 0x1f
                preempt: true
                nomcast: false
                """;

        // when
        Map<Setting, String> m = YamlConfigFile.parse(yaml, "karp.yaml");

        // then
        assertThat(m).containsExactly(
                Map.entry(Setting.INTERFACE, "eth0"),
                Map.entry(Setting.VHID, "7"),
                Map.entry(Setting.VIP, "10.200.0.100/24"),
                Map.entry(Setting.PASSFILE, "/etc/karp/password"),
                Map.entry(Setting.ADVSKEW, "0x1f"),
                Map.entry(Setting.PREEMPT, "true"),
                Map.entry(Setting.NOMCAST, "false"));
    }

    @Test
    void anEmptyFileHasNoKeys() {
        assertThat(YamlConfigFile.parse("# nothing yet\n", "karp.yaml")).isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> YamlConfigFile.parse("advskw: 5\n", "karp.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config karp.yaml: unknown key 'advskw' (valid keys: addr, advbase, advskew, auth, daemonize, "
                        + "deadratio, debug, downscript, facility, garp-count, garp-interval, garp-refresh, groups, health-ca, health-exec, "
                        + "health-expect-status, health-fails, health-interval, health-rises, health-timeout, health-url, "
                        + "ignoreifstate, interface, mcast, mcastip, metrics-addr, neutral, nomcast, pass, passfile, "
                        + "password-file, peer, peers, preempt, rt-priority, script-timeout, shutdown, srcip, status-addr, upscript, vhid, "
                        + "vip, vip-lifetime, xparam)");
    }

    @Test
    void configIsNotAKeyInsideTheFile() {
        assertThatThrownBy(() -> YamlConfigFile.parse("config: other.yaml\n", "karp.yaml"))
                .hasMessageStartingWith("--config karp.yaml: unknown key 'config' (valid keys: ");
    }

    @Test
    void aSwitchNeedsABoolean() {
        assertThatThrownBy(() -> YamlConfigFile.parse("preempt: sometimes\n", "karp.yaml"))
                .hasMessage("--config karp.yaml: key 'preempt' is a switch; write 'preempt: true' or "
                        + "'preempt: false' (found: sometimes)");
    }

    @Test
    void aListValueIsRefusedWhereOneValueIsExpected() {
        assertThatThrownBy(() -> YamlConfigFile.parse("advskew: [1, 2]\n", "karp.yaml"))
                .hasMessage("--config karp.yaml: key 'advskew' must have a single value, not a list or mapping");
    }

    @Test
    void severalVipsAreAList() {
        assertThat(YamlConfigFile.parse("vip: [10.0.0.1/24, 'fd00:200::1/64']\n", "karp.yaml"))
                .containsEntry(Setting.VIP, "10.0.0.1/24,fd00:200::1/64");
    }

    @Test
    void groupsAreReadWithTheirOwnKeys() {
        YamlConfigFile.Contents c = YamlConfigFile.parseContents("""
                interface: eth0
                groups:
                  - vhid: 1
                    vip: 10.0.0.1/24
                  - vhid: 2
                    vip: [10.0.0.2/24, "fd00:200::2/64"]
                    advskew: 100
                """, "karp.yaml");

        assertThat(c.values()).containsEntry(Setting.INTERFACE, "eth0");
        assertThat(c.groups()).containsExactly(
                java.util.Map.of("vhid", "1", "vip", "10.0.0.1/24"),
                java.util.Map.of("vhid", "2", "vip", "10.0.0.2/24,fd00:200::2/64", "advskew", "100"));
    }

    @Test
    void aGroupKeyThatOnlyTheTopLevelTakesIsNamed() {
        assertThatThrownBy(() -> YamlConfigFile.parse("groups:\n  - {vhid: 1, vip: 10.0.0.1, deadratio: 4}\n",
                "karp.yaml")).hasMessage("--config karp.yaml: item 1 of 'groups' has the unknown key 'deadratio'"
                        + " (valid keys in a group: vhid, vip, advbase, advskew, preempt, interface, password-file,"
                        + " upscript, downscript; other settings go at the top level and apply to all groups)");
    }

    @Test
    void anEmptyValueIsRefused() {
        assertThatThrownBy(() -> YamlConfigFile.parse("vhid:\n", "karp.yaml"))
                .hasMessage("--config karp.yaml: key 'vhid' has no value; give one or remove the key");
    }

    @Test
    void twoSpellingsOfOneOptionAreRefused() {
        assertThatThrownBy(() -> YamlConfigFile.parse("passfile: /a\npassword-file: /b\n", "karp.yaml"))
                .hasMessage("--config karp.yaml: key 'password-file' repeats 'passfile'; keep one");
    }

    @Test
    void aFileThatIsNotAMappingIsRefused() {
        assertThatThrownBy(() -> YamlConfigFile.parse("- vhid\n", "karp.yaml"))
                .hasMessage("--config karp.yaml must be a mapping of option names to values, e.g. 'vhid: 7' on each line");
    }

    @Test
    void brokenYamlIsRefusedWithTheParsersReason() {
        assertThatThrownBy(() -> YamlConfigFile.parse("vhid: 'abc\n", "karp.yaml"))
                .hasMessageStartingWith("--config karp.yaml is not valid YAML: ");
    }
}
