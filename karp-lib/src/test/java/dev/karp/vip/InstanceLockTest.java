package dev.karp.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12 item 4: one karp per interface and vhid; the second is told who holds it. */
class InstanceLockTest {
    /** A name no real interface has, so the test never meets a running karp's lock. */
    private final String ifname = "t" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aSecondLockForTheSameInterfaceAndVhidIsRefusedNamingTheHolder() throws Exception {
        try (InstanceLock first = InstanceLock.acquire(ifname, 7)) {
            assertThatThrownBy(() -> InstanceLock.acquire(ifname, 7))
                    .isInstanceOf(InstanceLock.HeldException.class)
                    .hasMessage("another karp already runs vhid 7 on " + ifname + " (pid " + ProcessHandle.current().pid()
                            + "); nothing was changed. Stop it first, or give this one another --vhid")
                    .satisfies(e -> assertThat(((InstanceLock.HeldException) e).pid())
                            .isEqualTo(OptionalInt.of((int) ProcessHandle.current().pid())));
        }
    }

    @Test
    void anotherVhidOrInterfaceIsAnotherLock() throws Exception {
        try (InstanceLock a = InstanceLock.acquire(ifname, 7);
                InstanceLock b = InstanceLock.acquire(ifname, 8);
                InstanceLock c = InstanceLock.acquire(ifname + "x", 7)) {
            assertThat(a).isNotNull();
            assertThat(b).isNotNull();
            assertThat(c).isNotNull();
        }
    }

    @Test
    void closingReleasesTheLock() throws Exception {
        InstanceLock.acquire(ifname, 9).close();

        try (InstanceLock again = InstanceLock.acquire(ifname, 9)) {
            assertThat(again).isNotNull();
        }
    }
}
