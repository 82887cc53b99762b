package dev.karp.sniff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.karp.testing.Libpcap;
import dev.karp.testing.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** pcap4j's offline reader against the test-only reader, on every capture. */
class OfflineCaptureTest {
    static final java.util.List<String> ALL = Vectors.ALL;

    @TempDir
    Path dir;

    @BeforeEach
    void needsLibpcap() {
        Libpcap.assumeAvailable();
    }

    Path copy(String capture) throws IOException {
        Path p = dir.resolve(capture);
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + capture)) {
            Files.copy(in, p);
        }
        return p;
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void libpcapReadsTheSameFramesAndTimesAsThePlainReader(String capture) throws Exception {
        // when
        OfflineCapture.Capture c = OfflineCapture.read(copy(capture));

        // then
        assertThat(c.frames()).isEqualTo(Vectors.frames(capture));
        assertThat(c.warning()).isEmpty();
    }

    @Test
    void aMissingFileIsABadFile() {
        Path missing = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> OfflineCapture.read(missing))
                .isInstanceOfSatisfying(CaptureReadException.class, e -> assertThat(e.kind()).isEqualTo(CaptureReadException.Cause.BAD_FILE))
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aFileThatIsNotACaptureIsABadFile() throws IOException {
        Path garbage = Files.writeString(dir.resolve("notes.txt"), "this is not a pcap file, just some text\n");
        assertThatThrownBy(() -> OfflineCapture.read(garbage))
                .isInstanceOfSatisfying(CaptureReadException.class, e -> assertThat(e.kind()).isEqualTo(CaptureReadException.Cause.BAD_FILE))
                .hasMessageStartingWith(garbage + ": not a capture file libpcap can read (")
                .hasMessageEndingWith("); expected a pcap or pcapng file, as written by tcpdump -w");
    }

    @Test
    void aDirectoryIsABadFile() {
        assertThatThrownBy(() -> OfflineCapture.read(dir)).hasMessage(dir + ": is a directory (expected: a pcap file)");
    }

    @Test
    void aCaptureCutShortKeepsTheFramesBeforeTheCutWithAWarning() throws IOException, CaptureReadException {
        // given: capture 02 without its last 10 bytes
        byte[] whole = Files.readAllBytes(copy("02-failover-sigkill.pcap"));
        Path cut = Files.write(dir.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 10));

        // when
        OfflineCapture.Capture c = OfflineCapture.read(cut);

        // then
        assertThat(c.frames()).hasSize(17);
        assertThat(c.warning()).hasValueSatisfying(w -> assertThat(w).startsWith(cut + ": stopped after 17 frames: "));
    }
}
