package dev.karp.log;

import java.io.OutputStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The one logging facade of karp-lib: every class logs through java.util.logging, with a logger from
 * {@link #logger(Class)} under {@code dev.karp}, and nothing in the library writes to standard output or
 * error itself. {@link #configure} sets java.util.logging up for a karp process.
 *
 * <p>Why java.util.logging: it is in the JDK, so the library adds no logging dependency of its own, and a
 * program that embeds karp sees karp's lines where it sees the JDK's. pcap4j, the one dependency that logs,
 * logs through slf4j; karp-lib brings slf4j-jdk14 at run time, which routes those lines into
 * java.util.logging as well, so the library's log is one stream whichever part wrote a line. pcap4j says at
 * INFO that it loaded libpcap and which defaults it took, which is noise, so its logger
 * ({@code org.pcap4j}) is set to WARNING unless the program set a level for it first. A program that logs
 * with another backend bridges java.util.logging to it (e.g. jul-to-slf4j, log4j-jul) and excludes
 * {@code org.slf4j:slf4j-jdk14} from karp-lib's dependencies, so that slf4j finds only its own provider.
 *
 * <p>{@link #configure} writes one {@link OneLineFormatter} line per record to a stream (standard error in
 * {@code karp run}), flushed after each record so lines reach journald or the container log at once.
 */
public final class KarpLogging {
    /** The logger every karp package logs under. */
    public static final String ROOT = "dev.karp";
    /** pcap4j's loggers, reached through slf4j-jdk14. */
    public static final String PCAP4J_ROOT = "org.pcap4j";
    // Held strongly: java.util.logging forgets the level of a logger that was garbage-collected.
    private static final Logger KARP = Logger.getLogger(ROOT);
    private static final Logger PCAP4J = Logger.getLogger(PCAP4J_ROOT);

    static {
        // Before pcap4j first logs: any karp class that logs, PcapHandles among them, gets here first.
        if (PCAP4J.getLevel() == null) {
            PCAP4J.setLevel(Level.WARNING);
        }
    }

    private KarpLogging() {
    }

    /** The logger of a karp class, named after it (so under {@value #ROOT}). */
    public static Logger logger(Class<?> type) {
        return Logger.getLogger(type.getName());
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
