package dev.karp.lab;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class NetnsSupportTest {

    @Test
    void withoutAProblemTheTestRuns() {
        assertThatCode(() -> NetnsSupport.check("", null)).doesNotThrowAnyException();
    }

    @Test
    void aProblemSkipsTheTestWithTheReason() {
        assertThatThrownBy(() -> NetnsSupport.check("running as uid 1000", null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs root for network namespaces (run as root or set CI=true to make this a"
                        + " failure): running as uid 1000");
    }

    @Test
    void underCiAProblemFailsTheTestInstead() {
        assertThatThrownBy(() -> NetnsSupport.check("running as uid 1000", "true"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("running as uid 1000");
    }
}
