package dev.karp.carp;

import dev.karp.testing.Vectors;
import java.net.Inet4Address;

/** Test frames: UCarp-form adverts built by the encoder, and edits of them. */
final class Frames {
    static final CarpHmac S3CRET = new CarpHmac(Vectors.password());

    private Frames() {
    }

    static CarpSender sender(Inet4Address source) {
        return new CarpSender(source, Carp.DEFAULT_GROUP, false, Vectors.VIPS, S3CRET);
    }

    /** A valid advert from {@code source} for {@code vhid} 7, advbase 1, advskew 0. */
    static byte[] advert(Inet4Address source) {
        return CarpCodec.encode(sender(source), new Advert(7, 1, 0, 0x4b24a82ce5200b7cL), 0xaa48);
    }

    /** Sets one byte of the frame (absolute offset) without fixing checksums. */
    static byte[] with(byte[] frame, int offset, int value) {
        byte[] f = frame.clone();
        f[offset] = (byte) value;
        return f;
    }

    /** Recomputes the IP and CARP checksums of a frame with an IP header of {@code ihl} bytes. */
    static byte[] fixChecksums(byte[] frame, int ihl) {
        byte[] f = frame.clone();
        int ip = 14;
        f[ip + 10] = 0;
        f[ip + 11] = 0;
        int s = InetChecksum.checksum(f, ip, ihl);
        f[ip + 10] = (byte) (s >>> 8);
        f[ip + 11] = (byte) s;
        int carp = ip + ihl;
        if (f.length >= carp + 36) {
            f[carp + 6] = 0;
            f[carp + 7] = 0;
            int c = InetChecksum.checksum(f, carp, 36);
            f[carp + 6] = (byte) (c >>> 8);
            f[carp + 7] = (byte) c;
        }
        return f;
    }

    static byte[] fixChecksums(byte[] frame) {
        return fixChecksums(frame, 20);
    }

    static byte[] truncate(byte[] frame, int length) {
        return java.util.Arrays.copyOf(frame, length);
    }
}
