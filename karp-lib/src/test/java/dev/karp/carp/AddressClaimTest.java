package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who claims an address: ARP senders, neighbour advertisement targets. */
class AddressClaimTest {
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:77");

    @Test
    void aGratuitousArpClaimsItsSenderAddress() {
        Optional<AddressClaim> c = AddressClaim.of(ByteBuffer.wrap(GratuitousArp.frame(MAC, Carp.ipv4(10, 200, 0, 100))));

        assertThat(c).contains(new AddressClaim(Carp.ipv4(10, 200, 0, 100), MAC, false, Carp.ipv4(10, 200, 0, 100)));
    }

    @Test
    void anArpRequestAsksFromTheNodesOwnAddressWithAnUnknownTarget() {
        byte[] f = AddressClaim.arpRequest(MAC, Carp.ipv4(10, 200, 0, 12), Carp.ipv4(10, 200, 0, 100));

        assertThat(f).hasSize(42);
        assertThat(AddressClaim.of(ByteBuffer.wrap(f)))
                .contains(new AddressClaim(Carp.ipv4(10, 200, 0, 12), MAC, false, Carp.ipv4(10, 200, 0, 100)));
        assertThat(MacAddress.of(f, 32)).isEqualTo(new MacAddress(0));
    }

    @Test
    void anArpReplyIsAReply() {
        byte[] f = AddressClaim.arpRequest(MAC, Carp.ipv4(10, 200, 0, 100), Carp.ipv4(10, 200, 0, 12));
        f[21] = 2;

        assertThat(AddressClaim.of(ByteBuffer.wrap(f)).orElseThrow().reply()).isTrue();
    }

    @Test
    void aNeighbourAdvertisementClaimsItsTarget() throws Exception {
        InetAddress vip = InetAddress.getByName("fd00:200::100");
        byte[] na = NeighborAdvertisement.frame(MAC, Carp.ipv6(InetAddress.getByName("fe80::77").getAddress()),
                (java.net.Inet6Address) vip);

        AddressClaim c = AddressClaim.of(ByteBuffer.wrap(na)).orElseThrow();

        assertThat(c.address()).isEqualTo(vip);
        assertThat(c.mac()).isEqualTo(MAC);
        assertThat(c.reply()).isTrue();
    }

    @Test
    void advertsAndShortFramesClaimNothing() {
        assertThat(AddressClaim.of(ByteBuffer.wrap(Frames.advert(Carp.ipv4(10, 200, 0, 11))))).isEmpty();
        assertThat(AddressClaim.of(ByteBuffer.wrap(new byte[20]))).isEmpty();
        assertThat(AddressClaim.of(ByteBuffer.wrap(Frames.truncate(GratuitousArp.frame(MAC, Carp.ipv4(10, 200, 0, 100)), 30))))
                .isEmpty();
    }
}
