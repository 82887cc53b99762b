package dev.karp.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void knownNumbersReadAsGlibcsStrerror() {
        assertThat(Errno.describe(1)).isEqualTo("Operation not permitted");
        assertThat(Errno.describe(17)).isEqualTo("File exists");
        assertThat(Errno.describe(99)).isEqualTo("Cannot assign requested address");
    }

    @Test
    void unknownNumbersAreShownAsNumbers() {
        assertThat(Errno.describe(4095)).isEqualTo("errno 4095");
    }
}
