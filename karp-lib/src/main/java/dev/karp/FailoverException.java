package dev.karp;

/**
 * A failover that cannot run: the host refused what it needs (no such interface, no CAP_NET_RAW to capture
 * adverts, no CAP_NET_ADMIN to add the VIP, libpcap missing). The message is one line that says what to do.
 */
public final class FailoverException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: what failed and what to do
     * @param cause   the underlying error, or null
     */
    public FailoverException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when another failover (a {@code karp run}, another program) already runs the same vhid on the same
     * interface of this host, in this network namespace; nothing was changed on the host.
     *
     * @return whether the failover did not start because the group already runs here
     */
    public boolean alreadyRunning() {
        return getCause() instanceof dev.karp.vip.InstanceLock.HeldException;
    }
}
