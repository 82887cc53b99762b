package dev.karp.carp;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A VRRP advert over IPv4, version 2 (RFC 3768) or 3 (RFC 5798). VRRP uses IP protocol 112 and
 * group 224.0.0.18 like CARP; karp only recognises it, so that a VRRP router on the link is
 * reported as VRRP instead of as a broken CARP node.
 *
 * <pre>
 * VRRPv2 (RFC 3768 §5.1)                       VRRPv3 (RFC 5798 §5.1)
 * |Ver|Type| VRID | Priority | Count IP Addrs| |Ver|Type| VRID | Priority | Count IPvX Addr|
 * | Auth Type | Adver Int (s) |   Checksum   | |rsvd| Max Adver Int (cs, 12 bits)| Checksum |
 * | IP Address (1) ... (n)                   | | IPvX Address (1) ... (n)                   |
 * | Authentication Data (8 bytes)            |
 * </pre>
 *
 * @param ethSrc       Ethernet source; {@code 00:00:5e:00:01:VRID} from a RFC-conforming router
 * @param ethDst       Ethernet destination
 * @param ipSrc        the router's primary address
 * @param ipDst        the destination, normally 224.0.0.18
 * @param ttl          IP TTL; 255
 * @param version      2 or 3
 * @param type         1 = advertisement
 * @param vrid         virtual router id
 * @param priority     0..255; 255 = address owner, 0 = the master is leaving
 * @param addressCount the "count IP addrs" byte
 * @param authType     VRRPv2 authentication type (0 = none); 0 for VRRPv3, which has no such field
 * @param intervalRaw  VRRPv2: advertisement interval in seconds; VRRPv3: max advert interval in centiseconds
 * @param checksum     the stored VRRP checksum
 * @param addresses    the virtual addresses
 * @param authData     VRRPv2's 8 bytes of authentication data; empty for VRRPv3
 */
public record VrrpPacket(
        MacAddress ethSrc,
        MacAddress ethDst,
        Inet4Address ipSrc,
        Inet4Address ipDst,
        int ttl,
        int version,
        int type,
        int vrid,
        int priority,
        int addressCount,
        int authType,
        int intervalRaw,
        int checksum,
        List<Inet4Address> addresses,
        byte[] authData) {

    public VrrpPacket {
        Objects.requireNonNull(ethSrc, "ethSrc");
        Objects.requireNonNull(ethDst, "ethDst");
        Objects.requireNonNull(ipSrc, "ipSrc");
        Objects.requireNonNull(ipDst, "ipDst");
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version " + version + " (expected: 2 or 3)");
        }
        addresses = List.copyOf(addresses);
        authData = authData.clone();
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** The advertisement interval: seconds in VRRPv2, centiseconds in VRRPv3. */
    public Duration interval() {
        return version == 2 ? Duration.ofSeconds(intervalRaw) : Duration.ofMillis(intervalRaw * 10L);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpPacket p
                && ethSrc.equals(p.ethSrc) && ethDst.equals(p.ethDst) && ipSrc.equals(p.ipSrc) && ipDst.equals(p.ipDst)
                && ttl == p.ttl && version == p.version && type == p.type && vrid == p.vrid && priority == p.priority
                && addressCount == p.addressCount && authType == p.authType && intervalRaw == p.intervalRaw
                && checksum == p.checksum && addresses.equals(p.addresses) && Arrays.equals(authData, p.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipSrc, version, vrid, priority, intervalRaw, addresses);
    }

    @Override
    public String toString() {
        return "VrrpPacket[" + ipSrc.getHostAddress() + " > " + ipDst.getHostAddress() + ", VRRPv" + version + " type=" + type
                + ", vrid=" + vrid + ", priority=" + priority + ", count=" + addressCount
                + (version == 2 ? ", auth=" + authType + ", interval=" + intervalRaw + "s" : ", interval=" + intervalRaw + "cs")
                + ", checksum=0x" + Integer.toHexString(checksum) + ", addresses="
                + addresses.stream().map(Inet4Address::getHostAddress).toList()
                + (authData.length > 0 ? ", authData=" + HexFormat.of().formatHex(authData) : "") + "]";
    }
}
