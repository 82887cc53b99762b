package dev.karp.testing;

import dev.karp.sniff.CapturedFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only reader of classic pcap files (24-byte global header, 16-byte record headers, either
 * byte order, micro- or nanosecond timestamps), so library tests need neither libpcap nor root.
 */
public final class PcapReader {
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int LINKTYPE_ETHERNET = 1;

    private PcapReader() {
    }

    public static List<CapturedFrame> read(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IllegalArgumentException("not a classic pcap file: magic 0x" + Integer.toHexString(b.getInt(0)));
        }
        boolean nanos = magic == MAGIC_NANOS;
        int linkType = b.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IllegalArgumentException("link type " + linkType + " (expected: 1, Ethernet)");
        }
        List<CapturedFrame> frames = new ArrayList<>();
        int off = 24;
        while (off + 16 <= file.length) {
            long sec = Integer.toUnsignedLong(b.getInt(off));
            long frac = Integer.toUnsignedLong(b.getInt(off + 4));
            int caplen = b.getInt(off + 8);
            off += 16;
            if (caplen < 0 || off + caplen > file.length) {
                throw new IllegalArgumentException("truncated record at byte " + (off - 16));
            }
            byte[] data = new byte[caplen];
            System.arraycopy(file, off, data, 0, caplen);
            off += caplen;
            frames.add(new CapturedFrame(Instant.ofEpochSecond(sec, nanos ? frac : frac * 1000), data));
        }
        return frames;
    }

    public static List<CapturedFrame> read(InputStream in) {
        try (in) {
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
