package dev.karp.testing;

import dev.karp.sniff.CapturedFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a classic little-endian, microsecond, Ethernet pcap file: test captures built from frames. */
public final class PcapWriter {
    private PcapWriter() {
    }

    public static Path write(Path file, List<CapturedFrame> frames) throws IOException {
        int size = 24 + frames.stream().mapToInt(f -> 16 + f.length()).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (CapturedFrame f : frames) {
            b.putInt((int) f.time().getEpochSecond()).putInt(f.time().getNano() / 1000).putInt(f.length()).putInt(f.length());
            b.put(f.bytes());
        }
        return Files.write(file, b.array());
    }
}
