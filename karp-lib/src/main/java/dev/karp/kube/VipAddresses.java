package dev.karp.kube;

import dev.karp.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --vip} values of {@code san} and {@code kubeconfig}: addresses, compared and printed as addresses.
 * A {@code /prefix} is allowed and ignored, so the {@code --vip} of render-manifest can be pasted as it is.
 */
public final class VipAddresses {
    private VipAddresses() {
    }

    /**
     * @throws IllegalArgumentException naming {@code option} and the expected form
     */
    public static InetAddress parse(String text, String option) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash >= 0 && s.substring(slash + 1).matches("\\d{1,3}")) {
            s = s.substring(0, slash);
        }
        return IpAddresses.parse(s).orElseThrow(() -> new IllegalArgumentException(option + " " + text
                + " is not an IP address (expected: e.g. 192.168.1.100 or fd00::100)"));
    }

    /** Each address once, in the order first given: fd00:200:0::100 and fd00:200::100 are one address. */
    public static List<InetAddress> parseAll(List<String> texts, String option) {
        List<InetAddress> out = new ArrayList<>();
        for (String t : texts) {
            InetAddress a = parse(t, option);
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** {@code --vip A --vip B}, for the commands karp prints. */
    public static String flags(List<InetAddress> vips) {
        return String.join(" ", vips.stream().map(v -> "--vip " + IpAddresses.format(v)).toList());
    }
}
