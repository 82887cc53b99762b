package dev.karp.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.net.IpAddresses;
import java.net.Inet6Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NeighborAdvertisementTest {
    static final MacAddress NIC = MacAddress.parse("02:00:00:00:00:11");
    static final Inet6Address LINK_LOCAL = (Inet6Address) IpAddresses.parse("fe80::11").orElseThrow();
    static final Inet6Address VIP = (Inet6Address) IpAddresses.parse("fd00:200::100").orElseThrow();

    @Test
    void theLayoutByteByByte() {
        byte[] f = NeighborAdvertisement.frame(NIC, LINK_LOCAL, VIP);

        String hex = HexFormat.of().formatHex(f);
        assertThat(hex.substring(0, 28)).isEqualTo("333300000001" + "020000000011" + "86dd");
        assertThat(hex.substring(28, 108)).isEqualTo("60000000" + "0020" + "3a" + "ff"
                + "fe800000000000000000000000000011" + "ff020000000000000000000000000001");
        assertThat(hex.substring(108, 112)).isEqualTo("8800"); // type 136, code 0
        assertThat(hex.substring(116)).isEqualTo("20000000" + "fd000200000000000000000000000100" + "0201" + "020000000011");
        assertThat(f).hasSize(NeighborAdvertisement.FRAME_LEN).hasSize(86);
    }

    @Test
    void theChecksumIsIcmpv6sWithThePseudoHeader() {
        byte[] f = NeighborAdvertisement.frame(NIC, LINK_LOCAL, VIP);

        assertThat((f[56] & 0xff) << 8 | (f[57] & 0xff)).isEqualTo(independentChecksum(f));
    }

    /** RFC 4443 §2.3 / RFC 8200 §8.1, written out without InetChecksum: 16-bit words, end-around carry. */
    static int independentChecksum(byte[] frame) {
        byte[] pseudo = new byte[40 + 32];
        System.arraycopy(frame, 22, pseudo, 0, 32); // source and destination
        pseudo[35] = 32; // upper-layer packet length
        pseudo[39] = 58; // next header
        System.arraycopy(frame, 54, pseudo, 40, 32);
        pseudo[42] = 0; // the checksum field itself
        pseudo[43] = 0;
        int sum = 0;
        for (int i = 0; i < pseudo.length; i += 2) {
            sum += ((pseudo[i] & 0xff) << 8) + (pseudo[i + 1] & 0xff);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    @Test
    void aKnownChecksum() {
        // Computed once with a few lines of Python over the same pseudo-header and message.
        byte[] f = NeighborAdvertisement.frame(NIC, LINK_LOCAL, VIP);

        assertThat(HexFormat.of().formatHex(f, 56, 58)).isEqualTo("55fc");
    }
}
