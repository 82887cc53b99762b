package dev.karp.carp;

/**
 * The one-line form of an advert shared by {@code karp sniff}, the logs and the tests:
 * {@code 10.200.0.11 > 224.0.0.18 vhid=7 advbase=1 advskew=0 counter=5414637562782288764 hmac=valid}.
 * Header fields that UCarp does not check but always sends the same way (version/type, authlen,
 * demote) are appended only when they differ, so a normal advert stays short. The form of a
 * received frame adds its TTL and checksum verdict: {@code ... hmac=valid ttl=255 sum=ok}.
 */
public final class AdvertFormat {
    private AdvertFormat() {
    }

    /** An advert whose checksums were verified (accepted adverts, encoded adverts). */
    public static String line(CarpPacket p, DigestStatus digest) {
        return base(p, digest).toString();
    }

    /** A received frame, with its TTL and whether both checksums are right. */
    public static String line(Decoded.CarpFrame frame, DigestStatus digest) {
        return base(frame.packet(), digest)
                .append(" ttl=").append(frame.packet().ttl())
                .append(" sum=").append(frame.checksumsOk() ? "ok" : "bad")
                .toString();
    }

    private static StringBuilder base(CarpPacket p, DigestStatus digest) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(VipAddresses.text(p.ipSrc())).append(" > ").append(VipAddresses.text(p.ipDst()))
                .append(" vhid=").append(p.vhid())
                .append(" advbase=").append(p.advbase())
                .append(" advskew=").append(p.advskew())
                .append(" counter=").append(p.counterString())
                .append(" hmac=").append(digest.word());
        if (p.version() != Carp.CARP_VERSION || p.type() != Carp.CARP_ADVERTISEMENT) {
            sb.append(" version=").append(p.version()).append(" type=").append(p.type());
        }
        if (p.authlen() != Carp.CARP_AUTHLEN) {
            sb.append(" authlen=").append(p.authlen());
        }
        if (p.demote() != 0) {
            sb.append(" demote=").append(p.demote());
        }
        return sb;
    }

    /**
     * The same form for a received VRRP advert:
     * {@code 10.0.0.5 > 224.0.0.18 VRRPv3 vrid=7 priority=100 interval=1s addresses=10.0.0.100 ttl=255 sum=ok}.
     */
    public static String line(VrrpPacket p, boolean checksumOk) {
        StringBuilder sb = new StringBuilder(112);
        sb.append(p.ipSrc().getHostAddress()).append(" > ").append(p.ipDst().getHostAddress())
                .append(" VRRPv").append(p.version())
                .append(" vrid=").append(p.vrid())
                .append(" priority=").append(p.priority())
                .append(" interval=").append(intervalText(p));
        sb.append(" addresses=");
        for (int i = 0; i < p.addresses().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(p.addresses().get(i).getHostAddress());
        }
        if (p.version() == 2 && p.authType() != 0) {
            sb.append(" auth=").append(p.authType());
        }
        sb.append(" ttl=").append(p.ttl()).append(" sum=").append(checksumOk ? "ok" : "bad");
        return sb.toString();
    }

    private static String intervalText(VrrpPacket p) {
        if (p.version() == 2) {
            return p.intervalRaw() + "s";
        }
        int cs = p.intervalRaw();
        return cs % 100 == 0 ? cs / 100 + "s" : String.format(java.util.Locale.ROOT, "%.2fs", cs / 100.0);
    }
}
