package dev.karp.testing;

/**
 * VRRP adverts written by hand from RFC 3768 (v2) and RFC 5798 (v3), padded to Ethernet's 60
 * bytes as they appear on the wire. Checksums were computed separately and are part of the hex.
 */
public final class VrrpFrames {
    private VrrpFrames() {
    }

    /** VRRPv3 (RFC 5798): VRID 7, priority 100, 1 s, one address; checksum over the IPv4 pseudo-header too. */
    public static final byte[] V3 = Vectors.hex(""
            + "01 00 5e 00 00 12"                     // eth dst: 224.0.0.18
            + "00 00 5e 00 01 07"                     // eth src: VRRP virtual MAC 00:00:5e:00:01:<vrid>
            + "08 00"                                 // IPv4
            + "45 c0 00 20 00 00 00 00 ff 70 cf ce"   // ihl 5, tos 0xc0, len 32, id 0, ttl 255, proto 112, csum 0xcfce
            + "0a c8 00 05 e0 00 00 12"               // src 10.200.0.5, dst 224.0.0.18
            + "31 07 64 01"                           // version 3 / type 1, VRID 7, priority 100, count 1
            + "00 64 74 0b"                           // rsvd 0 / max adver int 100 cs, checksum 0x740b
            + "0a c8 00 64"                           // 10.200.0.100
            + "00 00 00 00 00 00 00 00 00 00 00 00 00 00"); // Ethernet padding to 60 bytes

    /** VRRPv2 (RFC 3768): VRID 7, priority 100, no auth, 1 s, one address. */
    public static final byte[] V2 = Vectors.hex(""
            + "01 00 5e 00 00 12 00 00 5e 00 01 07 08 00"
            + "45 c0 00 28 00 00 00 00 ff 70 cf c6"   // len 40
            + "0a c8 00 05 e0 00 00 12"
            + "21 07 64 01"                           // version 2 / type 1 (like CARP!), VRID 7, priority 100, count 1
            + "00 01 6f ca"                           // auth type 0, adver int 1 s, checksum 0x6fca
            + "0a c8 00 64"                           // 10.200.0.100
            + "00 00 00 00 00 00 00 00"               // authentication data
            + "00 00 00 00 00 00");                   // padding

    /** VRRPv2 with 5 addresses: exactly 36 bytes, as long as a CARP header; count 5 where CARP has authlen 7. */
    public static final byte[] V2_FIVE_ADDRESSES = Vectors.hex(""
            + "01 00 5e 00 00 12 00 00 5e 00 01 07 08 00"
            + "45 c0 00 38 00 00 00 00 ff 70 cf b6"   // len 56, like a CARP advert
            + "0a c8 00 05 e0 00 00 12"
            + "21 07 64 05"                           // v2/t1, VRID 7, priority 100, count 5
            + "00 01 43 0c"                           // auth 0, 1 s, checksum 0x430c
            + "0a c8 00 64 0a c8 00 65 0a c8 00 66 0a c8 00 67 0a c8 00 68"
            + "00 00 00 00 00 00 00 00");
}
