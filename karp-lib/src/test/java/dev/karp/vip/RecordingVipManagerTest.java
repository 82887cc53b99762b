package dev.karp.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.net.Cidr;
import org.junit.jupiter.api.Test;

class RecordingVipManagerTest {

    private static final Cidr OWN = Cidr.parse("10.200.0.11/24");
    private static final Cidr VIP = Cidr.parse("10.200.0.100/24");

    @Test
    void recordsAddsAndRemovesWithTheSameIdempotencyAsNetlink() throws VipException {
        RecordingVipManager vips = new RecordingVipManager("eth0", OWN);

        boolean first = vips.add(VIP);
        boolean second = vips.add(VIP);
        boolean removed = vips.remove(Cidr.parse("10.200.0.100/32"));
        boolean again = vips.remove(VIP);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(removed).isTrue();
        assertThat(again).isFalse();
        assertThat(vips.calls()).containsExactly("add 10.200.0.100/24", "add 10.200.0.100/24",
                "remove 10.200.0.100/32", "remove 10.200.0.100/24");
        assertThat(vips.list()).containsExactly(OWN);
    }

    @Test
    void recordsLifetimesOfAddsAndRenewals() throws VipException {
        RecordingVipManager vips = new RecordingVipManager("eth0", OWN);

        vips.add(VIP, java.util.Optional.of(java.time.Duration.ofSeconds(3)));
        vips.renew(VIP, java.time.Duration.ofSeconds(4));

        assertThat(vips.calls()).containsExactly("add 10.200.0.100/24 lifetime 3s", "renew 10.200.0.100/24 lifetime 4s");
        assertThat(vips.lifetime(VIP)).hasValue(java.time.Duration.ofSeconds(4));
        vips.remove(VIP);
        assertThat(vips.lifetime(VIP)).isEmpty();
    }

    @Test
    void anAddressPutBehindTheBackIsPresentButNotRecorded() throws VipException {
        RecordingVipManager vips = new RecordingVipManager("eth0", OWN);

        vips.putBehindTheBack(VIP);

        assertThat(vips.isPresent(Cidr.parse("10.200.0.100/32"))).isTrue();
        assertThat(vips.calls()).isEmpty();
    }

    @Test
    void scriptedFailuresAreThrownInOrderAndThenCallsWorkAgain() throws VipException {
        RecordingVipManager vips = new RecordingVipManager("eth0");
        vips.failNext(VipException.kernelRefused("add", VIP, "eth0", 1));

        assertThatThrownBy(() -> vips.add(VIP)).hasMessageContaining("CAP_NET_ADMIN");
        assertThat(vips.add(VIP)).isTrue();
    }
}
