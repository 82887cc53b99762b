package dev.karp.vip;

import dev.karp.net.Cidr;
import dev.karp.netlink.Errno;
import java.io.IOException;
import java.util.List;

/** Changing or reading the interface's addresses failed; the message says what to do. */
public final class VipException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public VipException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The Linux errno behind the failure, 0 if none. */
    public int errno() {
        return errno;
    }

    /**
     * The message for a kernel refusal of {@code operation} ("add", "renew", "remove", "list") on
     * {@code vip} (null for list).
     */
    public static VipException kernelRefused(String operation, Cidr vip, String interfaceName, int errno) {
        String what = vip == null
                ? "cannot " + operation + " addresses of " + interfaceName
                : "cannot " + operation + " " + vip + (operation.equals("remove") ? " from " : " on ") + interfaceName;
        String text = Errno.describe(errno);
        if (Errno.EACCES.is(errno) && vip != null && !vip.isIpv4() && !operation.equals("remove")) {
            // The kernel's answer to a new IPv6 address on an interface with IPv6 disabled (addrconf_add_dev).
            return new VipException(what + ": IPv6 is disabled on " + interfaceName + "; enable it (sysctl -w"
                    + " net.ipv6.conf." + interfaceName + ".disable_ipv6=0)", errno);
        }
        if (Errno.EPERM.is(errno) || Errno.EACCES.is(errno)) {
            return new VipException(what + ": " + text + "; karp needs CAP_NET_ADMIN", errno);
        }
        if (Errno.ENODEV.is(errno)) {
            return new VipException(what + ": " + text + "; the interface disappeared, check --interface", errno);
        }
        return new VipException(what + ": " + text + " (errno " + errno + ")", errno);
    }

    /** {@code interface eth9 not found (available: eth0, lo); check --interface}. */
    public static VipException interfaceNotFound(String interfaceName, List<String> available) {
        return new VipException("interface " + interfaceName + " not found (available: " + String.join(", ", available)
                + "); check --interface", Errno.ENODEV.number());
    }
}
