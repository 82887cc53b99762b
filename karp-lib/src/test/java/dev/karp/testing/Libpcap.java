package dev.karp.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.pcap4j.core.Pcaps;

/**
 * Tests that read captures through pcap4j need libpcap. Without it they skip with the reason,
 * except under {@code CI=true}, where .ci/run installs it and a skip would hide a broken setup.
 */
public final class Libpcap {
    private Libpcap() {
    }

    public static void assumeAvailable() {
        String problem;
        try {
            Pcaps.libVersion();
            return;
        } catch (LinkageError e) {
            problem = "libpcap cannot be loaded (" + e + "); install libpcap0.8";
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(problem);
        }
        assumeTrue(false, problem);
    }
}
