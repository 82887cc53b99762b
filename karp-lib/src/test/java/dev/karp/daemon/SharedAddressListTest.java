package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.Cidr;
import dev.karp.vip.RecordingVipManager;
import dev.karp.vip.VipException;
import dev.karp.vip.VipManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SharedAddressListTest {
    private final AtomicLong now = new AtomicLong();

    /** Counts the dumps of a recording manager. */
    private static final class CountingLists implements VipManager {
        private final RecordingVipManager real = new RecordingVipManager("eth0", Cidr.parse("10.200.0.11/24"));
        int lists;

        @Override
        public String interfaceName() {
            return real.interfaceName();
        }

        @Override
        public boolean add(Cidr vip, Optional<Duration> lifetime) throws VipException {
            return real.add(vip, lifetime);
        }

        @Override
        public void renew(Cidr vip, Duration lifetime) throws VipException {
            real.renew(vip, lifetime);
        }

        @Override
        public boolean remove(Cidr vip) throws VipException {
            return real.remove(vip);
        }

        @Override
        public List<Cidr> list() throws VipException {
            lists++;
            return real.list();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void oneDumpServesEveryGroupUntilItIsOldOrKarpChangedTheAddresses() throws VipException {
        CountingLists real = new CountingLists();
        SharedAddressList shared = new SharedAddressList(real, now::get);

        // a hundred groups' housekeeping in the same moment: one dump
        for (int i = 0; i < 100; i++) {
            shared.list();
        }
        assertThat(real.lists).isEqualTo(1);

        // karp's own add is seen by the next reader at once
        shared.add(Cidr.parse("10.200.0.100/24"));
        assertThat(shared.list()).contains(Cidr.parse("10.200.0.100/24"));
        assertThat(real.lists).isEqualTo(2);

        // and a change by someone else within the maximum age
        now.addAndGet(SharedAddressList.MAX_AGE_NANOS);
        shared.list();
        assertThat(real.lists).isEqualTo(3);
    }

    @Test
    void theAddressSetFollowsTheSharedDumpAndKarpsOwnChanges() throws Exception {
        CountingLists real = new CountingLists();
        SharedAddressList shared = new SharedAddressList(real, now::get);
        java.net.InetAddress vip = java.net.InetAddress.getByName("10.200.0.100");

        assertThat(shared.addresses()).containsExactly(java.net.InetAddress.getByName("10.200.0.11"));
        shared.add(Cidr.of(vip, 24));
        for (int i = 0; i < 100; i++) {
            assertThat(shared.addresses()).contains(vip);
        }
        assertThat(real.lists).isEqualTo(2);

        shared.remove(Cidr.of(vip, 24));
        assertThat(shared.addresses()).doesNotContain(vip);
    }
}
