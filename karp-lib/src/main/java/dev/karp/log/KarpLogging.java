package dev.karp.log;

import java.io.OutputStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sets up java.util.logging for a karp process: one handler writing {@link OneLineFormatter} lines to a stream
 * (standard error in {@code karp run}), flushed after each record so lines reach journald or the container log
 * at once. Libraries that log through slf4j (pcap4j) arrive here through slf4j-jdk14.
 */
public final class KarpLogging {
    /** The logger every karp package logs under. */
    public static final String ROOT = "dev.karp";
    // Held strongly: java.util.logging forgets the level of a logger that was garbage-collected.
    private static final Logger KARP = Logger.getLogger(ROOT);
    // pcap4j announces at INFO that it loaded libpcap and which defaults it used: noise in a daemon's log.
    private static final Logger PCAP4J = Logger.getLogger("org.pcap4j");

    private KarpLogging() {
    }

    /**
     * Replaces the root logger's handlers.
     *
     * @param out   where lines go
     * @param debug whether karp's DEBUG lines (and stack traces) are shown; other libraries stay at INFO
     */
    public static void configure(OutputStream out, boolean debug) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new StreamHandler(out, new OneLineFormatter(debug)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        KARP.setLevel(debug ? Level.FINE : Level.INFO);
        PCAP4J.setLevel(debug ? Level.INFO : Level.WARNING);
    }
}
