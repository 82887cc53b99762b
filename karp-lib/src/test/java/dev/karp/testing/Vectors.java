package dev.karp.testing;

import dev.karp.carp.Carp;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.VipAddresses;
import dev.karp.sniff.CapturedFrame;
import java.io.InputStream;
import java.net.Inet4Address;
import java.util.List;

/**
 * The real UCarp captures copied into {@code src/test/resources/vectors/} (see the README there),
 * with the parameters they were made with.
 */
public final class Vectors {
    /** Every capture, by file name. */
    public static final List<String> ALL = List.of(
            "00-debug-latency.pcap",
            "01-startup-failover-sigterm-shutdown.pcap",
            "02-failover-sigkill.pcap",
            "03-preempt-election.pcap",
            "04-no-preempt.pcap",
            "05-wrong-password.pcap",
            "07-nomcast.pcap",
            "08-tiebreak-equal-params.pcap",
            "09-sigusr2-demote.pcap",
            "10-admin-down-master.pcap",
            "11-carrier-loss-master.pcap",
            "13-timing-sigkill-backup-skew0.pcap",
            "14-timing-sigkill-backup-skew50.pcap",
            "15-independent-encoder-and-bowout.pcap",
            "90-derived-corrupted-frame4.pcap");

    /** The vhid, password and VIP of every capture ($COMMON in the vectors README). */
    public static final int VHID = 7;
    public static final String PASSWORD = "s3cret";
    /** Used only by node C (10.200.0.13) in capture 05. */
    public static final String WRONG_PASSWORD = "wrongpw";
    public static final Inet4Address VIP = Carp.ipv4(10, 200, 0, 100);
    /** {@link #VIP} as the vhid's address set. */
    public static final VipAddresses VIPS = VipAddresses.of(VIP);
    public static final Inet4Address NODE_A = Carp.ipv4(10, 200, 0, 11);
    public static final Inet4Address NODE_B = Carp.ipv4(10, 200, 0, 12);
    public static final Inet4Address NODE_C = Carp.ipv4(10, 200, 0, 13);

    private Vectors() {
    }

    public static List<CapturedFrame> frames(String name) {
        InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no test vector " + name + " on the class path");
        }
        return PcapReader.read(in);
    }

    /** Frame number {@code number} (1-based, as tshark and the README count). */
    public static CapturedFrame frame(String name, int number) {
        return frames(name).get(number - 1);
    }

    public static CarpPassword password() {
        return CarpPassword.of(PASSWORD);
    }

    public static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }
}
