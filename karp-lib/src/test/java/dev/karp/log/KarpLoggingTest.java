package dev.karp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KarpLoggingTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restoreTheJvmDefaults() throws IOException {
        LogManager.getLogManager().readConfiguration();
    }

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void infoLinesAreWrittenAtOnceInTheOneLineFormat() {
        // given
        KarpLogging.configure(out, false);

        // when
        Logger.getLogger("dev.karp.daemon").info("vhid 7: BACKUP -> MASTER (master down)");

        // then
        assertThat(written()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  "
                + "vhid 7: BACKUP -> MASTER \\(master down\\)\n");
    }

    @Test
    void debugLinesAreHiddenWithoutDebug() {
        // given
        KarpLogging.configure(out, false);

        // when
        Logger.getLogger("dev.karp.daemon").fine("advert from 10.200.0.12");

        // then
        assertThat(written()).isEmpty();
    }

    @Test
    void debugShowsKarpsDebugLinesButNotOtherLibraries() {
        // given
        KarpLogging.configure(out, true);

        // when
        Logger.getLogger("dev.karp.daemon").fine("advert from 10.200.0.12");
        Logger.getLogger("org.pcap4j.core").fine("pcap internals");

        // then
        assertThat(written()).contains("DEBUG advert from 10.200.0.12").doesNotContain("pcap internals");
    }

    @Test
    void pcap4jsSlf4jLinesArriveInTheSameLogAndOnlyAsWarnings() {
        // given
        KarpLogging.configure(out, false);

        // when: pcap4j logs through slf4j, which slf4j-jdk14 hands to java.util.logging
        org.slf4j.LoggerFactory.getLogger("org.pcap4j.core.Pcaps").info("loaded libpcap");
        org.slf4j.LoggerFactory.getLogger("org.pcap4j.core.Pcaps").warn("something is off");

        // then
        assertThat(written()).contains("WARN  something is off").doesNotContain("loaded libpcap");
    }

    @Test
    void aKarpClassLogsUnderTheKarpRoot() {
        assertThat(KarpLogging.logger(dev.karp.daemon.Daemon.class).getName()).isEqualTo("dev.karp.daemon.Daemon");
        assertThat(KarpLogging.logger(KarpLogging.class).getParent().getName()).startsWith(KarpLogging.ROOT);
    }
}
