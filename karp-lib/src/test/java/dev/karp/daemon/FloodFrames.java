package dev.karp.daemon;

import dev.karp.carp.Advert;
import dev.karp.carp.Carp;
import dev.karp.carp.CarpCodec;
import dev.karp.carp.CarpHmac;
import dev.karp.carp.CarpPassword;
import dev.karp.carp.CarpSender;
import dev.karp.carp.InetChecksum;
import dev.karp.carp.VipAddresses;
import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The invalid frames of bench/fuzz.py, kind by kind, built in Java for an IPv4 group (vhid, password and VIP as
 * given): mutated adverts from a made-up source 10.200.0.77, VRRP, garbage, ARP and IPv6 neighbour advertisements.
 * None is a valid advert.
 */
final class FloodFrames {
    /** The kinds of fuzz.py, in its order. */
    static final List<String> KINDS = List.of("flip", "flip_fixed", "truncated", "nopass", "wrongpass", "badttl",
            "otherproto_fields", "vrrp", "garbage", "other_vhid", "arp", "na");

    private static final int IP = 14;
    private static final byte[] SRC_MAC = {2, 0, 0, 0, 0, 0x77};

    private final SplittableRandom rng;
    private final int vhid;
    private final Inet4Address vip;
    private final CarpSender sender;
    private final CarpHmac hmac;

    FloodFrames(long seed, int vhid, CarpPassword password, Inet4Address vip) {
        this.rng = new SplittableRandom(seed);
        this.vhid = vhid;
        this.vip = vip;
        this.hmac = new CarpHmac(password);
        this.sender = sender(hmac);
    }

    private CarpSender sender(CarpHmac key) {
        return new CarpSender(ip(10, 200, 0, 77), Carp.DEFAULT_GROUP, false, VipAddresses.of(vip), key);
    }

    /** {@code count} frames of {@code kind}. */
    byte[][] frames(String kind, int count) {
        Supplier<byte[]> make = switch (kind) {
            case "flip" -> this::flip;
            case "flip_fixed" -> this::flipFixed;
            case "truncated" -> this::truncated;
            case "nopass" -> this::nopass;
            case "wrongpass" -> this::wrongpass;
            case "badttl" -> this::badttl;
            case "otherproto_fields" -> this::otherprotoFields;
            case "vrrp" -> this::vrrp;
            case "garbage" -> this::garbage;
            case "other_vhid" -> this::otherVhid;
            case "arp" -> this::arp;
            case "na" -> this::na;
            default -> throw new IllegalArgumentException("no fuzz kind " + kind);
        };
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            out[i] = make.get();
        }
        return out;
    }

    private byte[] advert(CarpSender s, int vh, int advbase, int advskew) {
        byte[] f = CarpCodec.encode(s, new Advert(vh, advbase, advskew, rng.nextLong()), rng.nextInt(0x10000));
        System.arraycopy(SRC_MAC, 0, f, 6, 6);
        return f;
    }

    private byte[] valid() {
        return advert(sender, vhid, 1, 0);
    }

    private byte[] flip() {
        byte[] f = valid();
        for (int i = rng.nextInt(1, 5); i > 0; i--) {
            f[IP + 20 + rng.nextInt(36)] ^= (byte) rng.nextInt(1, 256);
        }
        if (InetChecksum.checksum(f, IP + 20, 36) == 0) {
            f[IP + 20 + 6] ^= (byte) 0xff;
        }
        return f;
    }

    private byte[] flipFixed() {
        byte[] f = valid();
        for (int i = rng.nextInt(1, 4); i > 0; i--) {
            int at = rng.nextInt(30);
            at = at < 2 ? at : at + 6;
            f[IP + 20 + at] ^= (byte) rng.nextInt(1, 256);
        }
        f[f.length - 1] ^= (byte) 0xff; // never a valid digest
        return fixCarp(f);
    }

    private byte[] truncated() {
        byte[] f = valid();
        // The capture filter reads the protocol at 23 and the source at 26..29: shorter frames never arrive.
        return Arrays.copyOf(f, rng.nextInt(30, f.length));
    }

    private byte[] nopass() {
        byte[] f = advert(sender, vhid, rng.nextInt(3), new int[] {0, 0, 1, 255}[rng.nextInt(4)]);
        for (int i = 0; i < 20; i++) {
            f[IP + 20 + 16 + i] = (byte) rng.nextInt(256);
        }
        return fixCarp(f);
    }

    private byte[] wrongpass() {
        byte[] key = new byte[rng.nextInt(1, 17)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) ('a' + rng.nextInt(26));
        }
        return advert(sender(new CarpHmac(CarpPassword.of(new String(key, java.nio.charset.StandardCharsets.US_ASCII)))),
                vhid, rng.nextInt(2), 0);
    }

    private byte[] badttl() {
        byte[] f = valid();
        f[IP + 8] = (byte) rng.nextInt(255);
        return fixIp(f);
    }

    private byte[] otherprotoFields() {
        byte[] f = valid();
        if (rng.nextBoolean()) {
            f[IP] = (byte) (0x40 | new int[] {0, 1, 2, 3, 4, 6, 15}[rng.nextInt(7)]);
        } else {
            int len = new int[] {0, 20, 21, 40, 55, 57, 1500, 65535}[rng.nextInt(8)];
            f[IP + 2] = (byte) (len >>> 8);
            f[IP + 3] = (byte) len;
        }
        return f;
    }

    private byte[] vrrp() {
        int ver = rng.nextBoolean() ? 2 : 3;
        byte[] body = new byte[4 + rng.nextInt(40)];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) rng.nextInt(256);
        }
        body[0] = (byte) (ver << 4 | 1);
        body[1] = (byte) (rng.nextBoolean() ? vhid : rng.nextInt(256));
        body[3] = 1;
        return ipv4(body);
    }

    private byte[] garbage() {
        byte[] body = new byte[rng.nextInt(120)];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) rng.nextInt(256);
        }
        return ipv4(body);
    }

    private byte[] otherVhid() {
        int other = rng.nextInt(1, 255);
        return advert(sender, other >= vhid ? other + 1 : other, 1, 0);
    }

    private byte[] arp() {
        int op = new int[] {1, 2, rng.nextInt(65536)}[rng.nextInt(3)];
        byte[] a = new byte[28];
        a[1] = 1;
        a[2] = 8;
        a[4] = 6;
        a[5] = 4;
        a[6] = (byte) (op >>> 8);
        a[7] = (byte) op;
        System.arraycopy(SRC_MAC, 0, a, 8, 6);
        System.arraycopy(rng.nextBoolean() ? vip.getAddress() : new byte[] {10, (byte) 200, 0, 77}, 0, a, 14, 4);
        if (op != 1) {
            for (int i = 18; i < 24; i++) {
                a[i] = (byte) rng.nextInt(256);
            }
        }
        System.arraycopy(vip.getAddress(), 0, a, 24, 4);
        flipSome(a, 0, a.length, rng.nextInt(4));
        a = Arrays.copyOf(a, rng.nextInt(8, a.length + 1));
        return eth(new byte[] {-1, -1, -1, -1, -1, -1}, Carp.ETHERTYPE_ARP, a);
    }

    private byte[] na() {
        byte[] icmp = new byte[32];
        icmp[0] = (byte) 136;
        icmp[4] = 0x20;
        byte[] target = {(byte) 0xfd, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        System.arraycopy(target, 0, icmp, 8, 16);
        icmp[24] = 2;
        icmp[25] = 1;
        System.arraycopy(SRC_MAC, 0, icmp, 26, 6);
        flipSome(icmp, 0, icmp.length, rng.nextInt(4));
        byte[] ip6 = new byte[40 + icmp.length];
        ip6[0] = 0x60;
        ip6[5] = (byte) icmp.length;
        ip6[6] = 58;
        ip6[7] = (byte) 255;
        ip6[8] = (byte) 0xfe;
        ip6[9] = (byte) 0x80;
        ip6[23] = 0x77;
        ip6[24] = (byte) 0xff;
        ip6[25] = 2;
        ip6[39] = 1;
        System.arraycopy(icmp, 0, ip6, 40, icmp.length);
        return eth(new byte[] {0x33, 0x33, 0, 0, 0, 1}, Carp.ETHERTYPE_IPV6, ip6);
    }

    private void flipSome(byte[] b, int from, int to, int n) {
        for (int i = 0; i < n; i++) {
            b[rng.nextInt(from, to)] ^= (byte) (rng.nextBoolean() ? 1 << rng.nextInt(8) : rng.nextInt(1, 256));
        }
    }

    private byte[] ipv4(byte[] payload) {
        byte[] ip = new byte[20 + payload.length];
        ip[0] = 0x45;
        ip[1] = (byte) 0xc0;
        ip[2] = (byte) (ip.length >>> 8);
        ip[3] = (byte) ip.length;
        ip[4] = (byte) rng.nextInt(256);
        ip[5] = (byte) rng.nextInt(256);
        ip[8] = (byte) 255;
        ip[9] = (byte) Carp.IPPROTO_CARP;
        System.arraycopy(new byte[] {10, (byte) 200, 0, 77}, 0, ip, 12, 4);
        System.arraycopy(Carp.DEFAULT_GROUP.getAddress(), 0, ip, 16, 4);
        System.arraycopy(payload, 0, ip, 20, payload.length);
        return fixIp(eth(new byte[] {1, 0, 0x5e, 0, 0, 0x12}, Carp.ETHERTYPE_IP, ip));
    }

    private static byte[] eth(byte[] dst, int type, byte[] payload) {
        byte[] f = new byte[IP + payload.length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(SRC_MAC, 0, f, 6, 6);
        f[12] = (byte) (type >>> 8);
        f[13] = (byte) type;
        System.arraycopy(payload, 0, f, IP, payload.length);
        return f;
    }

    private static byte[] fixIp(byte[] f) {
        f[IP + 10] = 0;
        f[IP + 11] = 0;
        int s = InetChecksum.checksum(f, IP, 20);
        f[IP + 10] = (byte) (s >>> 8);
        f[IP + 11] = (byte) s;
        return f;
    }

    private static byte[] fixCarp(byte[] f) {
        int carp = IP + 20;
        f[carp + 6] = 0;
        f[carp + 7] = 0;
        int c = InetChecksum.checksum(f, carp, 36);
        f[carp + 6] = (byte) (c >>> 8);
        f[carp + 7] = (byte) c;
        return f;
    }

    private static Inet4Address ip(int a, int b, int c, int d) {
        try {
            return (Inet4Address) java.net.InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
