package dev.karp.link;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hand-built frames for link tests, so they do not depend on the codec. */
public final class TestFrames {

    /**
     * Cap 02, frame 4 (shared/vectors README, ucarp-spec §1.4): UCarp's first advert as master,
     * vhid 7, advbase 1, advskew 0, password s3cret, VIP 10.200.0.100, from 10.200.0.11.
     */
    public static final String CAP02_FRAME4 = ""
            + "01005e000012" // eth dst 01:00:5e:00:00:12 (224.0.0.18)
            + "00005e000007" // eth src 00:00:5e:00:00:07 (vhid 7)
            + "0800" // IPv4
            + "45100038aa484000ff70e617" // v4 ihl5 tos0x10 len56 id0xaa48 DF ttl255 proto112 csum0xe617
            + "0ac8000b" // src 10.200.0.11
            + "e0000012" // dst 224.0.0.18
            + "210700070001b96d" // CARP v2/t1 vhid7 skew0 authlen7 pad0 advbase1 csum0xb96d
            + "4b24a82ce5200b7c" // counter
            + "4add92ae7801b6457c27660e6433c9236a57bbdd"; // HMAC-SHA1

    private static final HexFormat HEX = HexFormat.of();

    private TestFrames() {
    }

    /** The 70-byte advert of cap 02 frame 4. */
    public static byte[] carpAdvert() {
        return HEX.parseHex(CAP02_FRAME4);
    }

    /** The same advert with another IP source (checksums untouched: the filter does not check them). */
    public static byte[] carpAdvertFrom(byte[] sourceIp) {
        byte[] f = carpAdvert();
        System.arraycopy(sourceIp, 0, f, 26, 4);
        return f;
    }

    /**
     * A gratuitous ARP exactly as ucarp-spec §6 describes UCarp's (cap 02 frame 3): 42 bytes,
     * broadcast, opcode REQUEST, sender and target both {@code mac}/{@code ip}.
     */
    public static byte[] gratuitousArp(byte[] mac, byte[] ip) {
        return ByteBuffer.allocate(42)
                .put(HEX.parseHex("ffffffffffff")) // eth dst broadcast
                .put(mac) // eth src: the NIC's real MAC
                .putShort((short) 0x0806) // ARP
                .putShort((short) 1).putShort((short) 0x0800) // htype Ethernet, ptype IPv4
                .put((byte) 6).put((byte) 4) // hlen, plen
                .putShort((short) 1) // opcode REQUEST
                .put(mac).put(ip) // sender
                .put(mac).put(ip) // target = sender
                .array();
    }

    /** An IPv4/UDP frame to 224.0.0.18 from {@code sourceIp}: another protocol on the CARP group. */
    public static byte[] udpToCarpGroup(byte[] sourceIp) {
        byte[] f = carpAdvert();
        f[23] = 17; // IP protocol UDP instead of 112
        System.arraycopy(sourceIp, 0, f, 26, 4);
        return f;
    }
}
