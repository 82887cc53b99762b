package dev.karp.cli;

import sun.misc.Signal;

/**
 * Graceful stop on SIGTERM, SIGINT and SIGHUP (UCarp's --shutdown set, minus SIGQUIT, which the JVM
 * keeps for thread dumps). A JVM shutdown hook would also run, but the process would then exit 143;
 * handling the signals lets the daemon bow out, release the VIP and exit 0.
 */
final class Signals {
    private Signals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(name), s -> action.run());
        }
    }
}
