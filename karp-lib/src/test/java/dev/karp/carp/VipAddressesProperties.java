package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The HMAC order of a vhid's addresses (carp-v6-unicast §2.2) over arbitrary address sets. */
class VipAddressesProperties {

    @Provide
    Arbitrary<List<InetAddress>> addressLists() {
        // Few distinct values per byte, so that duplicates, shared prefixes and link-locals are common.
        Arbitrary<byte[]> v4 = Arbitraries.of((byte) 0, (byte) 10, (byte) 127, (byte) 128, (byte) 192, (byte) 255)
                .array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.of((byte) 0, (byte) 1, (byte) 0x20, (byte) 0x80, (byte) 0xfe, (byte) 0xff)
                .array(byte[].class).ofSize(16);
        return Arbitraries.oneOf(v4, v6).map(VipAddressesProperties::address).list().ofMinSize(1).ofMaxSize(12);
    }

    static InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 16 ? Carp.ipv6(bytes) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property
    void theOrderOfTheInputDoesNotMatter(@ForAll("addressLists") List<InetAddress> addresses, @ForAll long seed) {
        List<InetAddress> shuffled = new ArrayList<>(addresses);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(VipAddresses.of(shuffled).hmacBytes()).isEqualTo(VipAddresses.of(addresses).hmacBytes());
        assertThat(VipAddresses.of(shuffled)).isEqualTo(VipAddresses.of(addresses));
    }

    @Property
    void ipv4ComesFirstAndEachFamilyIsStrictlyAscending(@ForAll("addressLists") List<InetAddress> addresses) {
        VipAddresses v = VipAddresses.of(addresses);
        byte[] m = v.hmacBytes();
        int n4 = v.ipv4().size();

        for (int i = 1; i < n4; i++) {
            int before = java.nio.ByteBuffer.wrap(m, 4 * (i - 1), 4).getInt();
            int after = java.nio.ByteBuffer.wrap(m, 4 * i, 4).getInt();
            assertThat(Integer.compareUnsigned(before, after)).isNegative();
        }
        for (int i = 1; i < v.ipv6().size(); i++) {
            int before = 4 * n4 + 16 * (i - 1);
            int after = 4 * n4 + 16 * i;
            assertThat(Arrays.compareUnsigned(m, before, before + 16, m, after, after + 16)).isNegative();
        }
        assertThat(m).hasSize(4 * n4 + 16 * v.ipv6().size());
    }

    @Property
    void everyAddressIsKeptAndNoneIsAdded(@ForAll("addressLists") List<InetAddress> addresses) {
        VipAddresses v = VipAddresses.of(addresses);

        // IPv6 addresses compare as InetAddress without their scope, and none of these has scope bytes set
        // unless it is link-local, where both forms are one address for the HMAC.
        assertThat(v.all()).allSatisfy(a -> assertThat(addresses).contains(a));
        assertThat(v.size()).isLessThanOrEqualTo(addresses.size());
        assertThat(v.ipv4()).containsExactlyInAnyOrderElementsOf(addresses.stream()
                .filter(java.net.Inet4Address.class::isInstance).distinct().map(java.net.Inet4Address.class::cast).toList());
    }

    @Property
    void oneIpv4AddressIsUcarpsFourBytes(@ForAll int address) {
        VipAddresses v = VipAddresses.of(Carp.ipv4(address));

        assertThat(java.nio.ByteBuffer.wrap(v.hmacBytes()).getInt()).isEqualTo(address);
        assertThat(CarpHmac.message(7, v, 1L)).hasSize(CarpHmac.MESSAGE_LEN);
    }
}
