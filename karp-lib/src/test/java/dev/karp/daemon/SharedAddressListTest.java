package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.Cidr;
import dev.karp.vip.RecordingVipManager;
import dev.karp.vip.VipException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SharedAddressListTest {
    private final AtomicLong now = new AtomicLong();

    private static final class CountingLists extends RecordingVipManager {
        int lists;

        CountingLists() {
            super("eth0", Cidr.parse("10.200.0.11/24"));
        }

        @Override
        public synchronized java.util.List<Cidr> list() throws VipException {
            lists++;
            return super.list();
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
}
