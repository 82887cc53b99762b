package dev.karp.carp;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA1 of an advert (ucarp-spec §2.2): key = the password bytes, message =
 * {@code 02 01 vhid VIP[4] counter[8]}. advbase, advskew and the addresses are not covered, so a
 * wrong vhid or VIP shows up as a bad digest.
 *
 * <p>The key schedule is done once per password. Methods are synchronized because one
 * {@link Mac} is reused; an uncontended lock costs far less than the hash.
 */
public final class CarpHmac {
    /** 1 + 1 + 1 + 4 + 8 bytes. */
    public static final int MESSAGE_LEN = 15;

    private final Mac mac;
    private final byte[] message = new byte[MESSAGE_LEN];
    private final byte[] computed = new byte[Carp.DIGEST_LEN];
    private final byte[] received = new byte[Carp.DIGEST_LEN];

    public CarpHmac(CarpPassword password) {
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.rawBytes(), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA1 (java.security.Security standard names).
            throw new IllegalStateException("HmacSHA1 is not available in this Java runtime", e);
        }
    }

    /** The 15-byte authenticated message; exposed for tests and documentation. */
    public static byte[] message(int vhid, Inet4Address vip, long counter) {
        byte[] m = new byte[MESSAGE_LEN];
        fillMessage(m, vhid, Carp.toInt(vip), counter);
        return m;
    }

    private static void fillMessage(byte[] m, int vhid, int vip, long counter) {
        // ucarp-spec §2.2: version and type are constants here, not read from the packet.
        m[0] = (byte) Carp.CARP_VERSION;
        m[1] = (byte) Carp.CARP_ADVERTISEMENT;
        m[2] = (byte) vhid;
        m[3] = (byte) (vip >>> 24);
        m[4] = (byte) (vip >>> 16);
        m[5] = (byte) (vip >>> 8);
        m[6] = (byte) vip;
        for (int i = 0; i < 8; i++) {
            m[7 + i] = (byte) (counter >>> (56 - 8 * i));
        }
    }

    public byte[] digest(int vhid, Inet4Address vip, long counter) {
        byte[] out = new byte[Carp.DIGEST_LEN];
        digest(vhid, vip, counter, out, 0);
        return out;
    }

    /** Writes the 20-byte digest at {@code out[offset]}. */
    public void digest(int vhid, Inet4Address vip, long counter, byte[] out, int offset) {
        digest(vhid, Carp.toInt(vip), counter, out, offset);
    }

    synchronized void digest(int vhid, int vip, long counter, byte[] out, int offset) {
        fillMessage(message, vhid, vip, counter);
        mac.update(message);
        try {
            mac.doFinal(out, offset);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("no room for a " + Carp.DIGEST_LEN + "-byte digest at offset " + offset
                    + " of a " + out.length + "-byte array", e);
        }
    }

    /**
     * True when {@code digest} is the HMAC for these values. Compares in constant time, unlike
     * UCarp's {@code memcmp} (ucarp-spec §2.3), so timing reveals nothing about the expected digest.
     */
    public boolean verify(int vhid, Inet4Address vip, long counter, byte[] digest) {
        return verify(vhid, Carp.toInt(vip), counter, digest);
    }

    synchronized boolean verify(int vhid, int vip, long counter, byte[] digest) {
        digest(vhid, vip, counter, computed, 0);
        return MessageDigest.isEqual(computed, digest);
    }

    /** Verifies the 20 bytes at the absolute index {@code digestOffset} of {@code frame}, without allocating. */
    synchronized boolean verify(int vhid, int vip, long counter, ByteBuffer frame, int digestOffset) {
        frame.get(digestOffset, received);
        return verify(vhid, vip, counter, received);
    }

    @Override
    public String toString() {
        return "CarpHmac[HmacSHA1, key redacted]";
    }
}
