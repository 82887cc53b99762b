package dev.karp.sniff;

import dev.karp.link.PcapHandles;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * Reads a pcap or pcapng file through libpcap (pcap4j's offline reader, opened by {@link PcapHandles}). The shell around the
 * pure {@link SniffAnalyzer}.
 */
public final class OfflineCapture {

    /**
     * The frames of a capture file.
     *
     * @param frames  every frame read, in file order
     * @param warning set when the file ended in the middle of a record: the frames before it are kept,
     *                as tcpdump does
     */
    public record Capture(List<CapturedFrame> frames, Optional<String> warning) {
        public Capture {
            frames = List.copyOf(frames);
        }
    }

    private OfflineCapture() {
    }

    public static Capture read(Path file) throws CaptureReadException {
        if (!Files.exists(file)) {
            throw badFile(file + ": no such file", null);
        }
        if (Files.isDirectory(file)) {
            throw badFile(file + ": is a directory (expected: a pcap file)", null);
        }
        if (!Files.isReadable(file)) {
            throw badFile(file + ": permission denied", null);
        }
        PcapHandle handle;
        try {
            handle = PcapHandles.openOffline(file);
        } catch (PcapHandles.OpenException e) {
            throw new CaptureReadException(e.failure() == PcapHandles.Failure.NO_LIBPCAP
                    ? CaptureReadException.Cause.NO_LIBPCAP : CaptureReadException.Cause.BAD_FILE, e.getMessage(), e);
        }
        try {
            List<CapturedFrame> frames = new ArrayList<>();
            while (true) {
                byte[] raw;
                try {
                    raw = handle.getNextRawPacketEx();
                } catch (EOFException e) {
                    return new Capture(frames, Optional.empty());
                } catch (TimeoutException e) {
                    continue; // live handles only; an offline read never times out
                } catch (PcapNativeException e) {
                    return new Capture(frames, Optional.of(file + ": stopped after " + frames.size() + " frames: "
                            + e.getMessage().strip() + " (the file is cut short?)"));
                }
                Timestamp ts = handle.getTimestamp();
                frames.add(new CapturedFrame(ts.toInstant(), raw));
            }
        } catch (NotOpenException e) {
            throw new IllegalStateException("the capture handle was closed while reading", e);
        } finally {
            handle.close();
        }
    }

    private static CaptureReadException badFile(String message, Throwable reason) {
        return new CaptureReadException(CaptureReadException.Cause.BAD_FILE, message, reason);
    }
}
