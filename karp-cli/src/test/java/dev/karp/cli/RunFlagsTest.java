package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.FailoverConfigException;
import org.junit.jupiter.api.Test;

class RunFlagsTest {

    @Test
    void aPropertyAtTheStartOfTheMessageBecomesTheFlag() {
        assertThat(RunFlags.inFlagTerms(new FailoverConfigException("vhid", "vhid 300 is out of range (expected: 1..255)")))
                .isEqualTo("--vhid 300 is out of range (expected: 1..255)");
        assertThat(RunFlags.inFlagTerms(new FailoverConfigException("sourceAddress",
                "sourceAddress 10.200.0.99 is not an address of eth0")))
                .isEqualTo("--srcip 10.200.0.99 is not an address of eth0");
        assertThat(RunFlags.inFlagTerms(new FailoverConfigException("healthCheck", "healthCheck: interval 5ms ...")))
                .isEqualTo("--health-url/--health-exec: interval 5ms ...");
    }

    @Test
    void aMessageThatDoesNotStartWithItsPropertyIsLeftAlone() {
        assertThat(RunFlags.inFlagTerms(new FailoverConfigException("vip", "no VIP")))
                .isEqualTo("no VIP");
    }
}
