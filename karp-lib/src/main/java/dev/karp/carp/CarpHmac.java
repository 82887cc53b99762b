package dev.karp.carp;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA1 of an advert (ucarp-spec §2.2, carp-v6-unicast §2.2): key = the password bytes,
 * message = {@code 02 01 vhid}, the vhid's addresses as {@link VipAddresses#hmacBytes()} (IPv4
 * ascending, then IPv6 ascending), then {@code counter[8]}. With one IPv4 VIP that is UCarp's
 * 15-byte message {@code 02 01 vhid VIP[4] counter[8]} byte for byte. advbase, advskew and the IP
 * source and destination are not covered, so a wrong vhid or VIP shows up as a bad digest.
 *
 * <p>{@link #verify} also accepts the digest OpenBSD sends for a set with link-local IPv6
 * addresses, which leaves those out ({@code HMAC_NOV6LL}, carp-v6-unicast §2.3), as OpenBSD
 * itself accepts both forms; {@link #digest} always covers every address (FreeBSD's form).
 *
 * <p>The key schedule is done once per password. Methods are synchronized because one
 * {@link Mac} and one message buffer are reused, so digesting and verifying allocate nothing; an
 * uncontended lock costs far less than the hash.
 */
public final class CarpHmac {
    /** The message length with one IPv4 VIP (UCarp's): 1 + 1 + 1 + 4 + 8 bytes. */
    public static final int MESSAGE_LEN = 15;
    /** version, type, vhid. */
    private static final int PREFIX_LEN = 3;

    private final Mac mac;
    /** Grown to the largest address set seen, once; never shrunk. */
    private byte[] message = new byte[MESSAGE_LEN];
    private final byte[] computed = new byte[Carp.DIGEST_LEN];
    private final byte[] received = new byte[Carp.DIGEST_LEN];

    public CarpHmac(CarpPassword password) {
        this(password.rawBytes());
    }

    /** A raw key; package access for the golden tests' empty BSD password (20 zero bytes). */
    CarpHmac(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA1 (java.security.Security standard names).
            throw new IllegalStateException("HmacSHA1 is not available in this Java runtime", e);
        }
    }

    /** The authenticated message; exposed for tests and documentation. */
    public static byte[] message(int vhid, VipAddresses vips, long counter) {
        byte[] m = new byte[messageLength(vips)];
        fillMessage(m, vhid, vips, counter);
        return m;
    }

    /** UCarp's 15-byte message for one IPv4 VIP. */
    public static byte[] message(int vhid, Inet4Address vip, long counter) {
        return message(vhid, VipAddresses.of(vip), counter);
    }

    private static int messageLength(VipAddresses vips) {
        return PREFIX_LEN + vips.hmacBytesShared().length + Carp.COUNTER_LEN;
    }

    private static void fillMessage(byte[] m, int vhid, VipAddresses vips, long counter) {
        // ucarp-spec §2.2: version and type are constants here, not read from the packet.
        m[0] = (byte) Carp.CARP_VERSION;
        m[1] = (byte) Carp.CARP_ADVERTISEMENT;
        m[2] = (byte) vhid;
        byte[] addresses = vips.hmacBytesShared();
        System.arraycopy(addresses, 0, m, PREFIX_LEN, addresses.length);
        int c = PREFIX_LEN + addresses.length;
        for (int i = 0; i < 8; i++) {
            m[c + i] = (byte) (counter >>> (56 - 8 * i));
        }
    }

    public byte[] digest(int vhid, VipAddresses vips, long counter) {
        byte[] out = new byte[Carp.DIGEST_LEN];
        digest(vhid, vips, counter, out, 0);
        return out;
    }

    /** Writes the 20-byte digest at {@code out[offset]}. */
    public synchronized void digest(int vhid, VipAddresses vips, long counter, byte[] out, int offset) {
        int length = messageLength(vips);
        if (message.length < length) {
            message = new byte[length];
        }
        fillMessage(message, vhid, vips, counter);
        mac.update(message, 0, length);
        try {
            mac.doFinal(out, offset);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("no room for a " + Carp.DIGEST_LEN + "-byte digest at offset " + offset
                    + " of a " + out.length + "-byte array", e);
        }
    }

    /**
     * True when {@code digest} is the HMAC for these values, over all of {@code vips} or (OpenBSD's
     * form) over them without link-local IPv6 addresses. Compares in constant time, unlike UCarp's
     * {@code memcmp} (ucarp-spec §2.3), so timing reveals nothing about the expected digest.
     */
    public synchronized boolean verify(int vhid, VipAddresses vips, long counter, byte[] digest) {
        digest(vhid, vips, counter, computed, 0);
        if (MessageDigest.isEqual(computed, digest)) {
            return true;
        }
        if (!vips.hasScopedIpv6()) {
            return false;
        }
        digest(vhid, vips.withoutScopedIpv6(), counter, computed, 0);
        return MessageDigest.isEqual(computed, digest);
    }

    /** Verifies the 20 bytes at the absolute index {@code digestOffset} of {@code frame}, without allocating. */
    synchronized boolean verify(int vhid, VipAddresses vips, long counter, ByteBuffer frame, int digestOffset) {
        frame.get(digestOffset, received);
        return verify(vhid, vips, counter, received);
    }

    @Override
    public String toString() {
        return "CarpHmac[HmacSHA1, key redacted]";
    }
}
