package dev.karp.election;

import static dev.karp.election.Script.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ElectionConfigTest {

    @Test
    void defaultsAreUcarpDefaults() {
        var config = ElectionConfig.defaults(A);

        assertThat(config).isEqualTo(new ElectionConfig(1, 0, 3, false, false, A));
        assertThat(config.validate()).isSameAs(config);
    }

    @Test
    void advskewAbove255IsRejectedNamingTheOption() {
        var config = ElectionConfig.defaults(A).withAdvskew(300);

        assertThatIllegalArgumentException().isThrownBy(config::validate)
                .withMessage("--advskew 300 is out of range (expected: 0..255)");
    }

    @Test
    void negativeAdvbaseIsRejectedNamingTheOption() {
        var config = ElectionConfig.defaults(A).withAdvbase(-1);

        assertThatIllegalArgumentException().isThrownBy(config::validate)
                .withMessage("--advbase -1 is out of range (expected: 0..255)");
    }

    @Test
    void deadratioZeroIsRejected() {
        var config = ElectionConfig.defaults(A).withDeadratio(0);

        assertThatIllegalArgumentException().isThrownBy(config::validate)
                .withMessage("--deadratio 0 is out of range (expected: 1..255)");
    }

    @Test
    void advbaseZeroWithAdvskewZeroIsRejectedAsInUcarp() {
        var config = ElectionConfig.defaults(A).withAdvbase(0).withAdvskew(0);

        assertThatIllegalArgumentException().isThrownBy(config::validate)
                .withMessage("--advbase 0 with --advskew 0 gives no advertisement interval"
                        + " (expected: --advbase 1..255, or --advskew 1..255 for a sub-second interval)");
    }

    @Test
    void advbaseZeroWithAPositiveAdvskewIsASubSecondInterval() {
        var config = ElectionConfig.defaults(A).withAdvbase(0).withAdvskew(26);

        assertThat(config.validate()).isSameAs(config);
    }

    @Test
    void theBowOutValuesCannotBeConfigured() {
        var config = ElectionConfig.defaults(A).withAdvbase(255).withAdvskew(255);

        assertThatIllegalArgumentException().isThrownBy(config::validate)
                .withMessageStartingWith("--advbase 255 with --advskew 255 is the bow-out advert");
    }

    @Test
    void aMissingSourceAddressIsRejected() {
        var config = ElectionConfig.defaults(null);

        assertThatIllegalArgumentException().isThrownBy(config::validate)
                .withMessage("--srcip is missing (expected: this node's IPv4 address on the link)");
    }

    @Test
    void theElectionRefusesAnInvalidConfiguration() {
        var config = ElectionConfig.defaults(A).withAdvskew(256);

        assertThatIllegalArgumentException().isThrownBy(() -> new Election(config))
                .withMessage("--advskew 256 is out of range (expected: 0..255)");
    }
}
