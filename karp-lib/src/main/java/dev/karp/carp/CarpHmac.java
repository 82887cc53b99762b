package dev.karp.carp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;

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
 * HMAC and one message buffer are reused, so digesting and verifying allocate nothing; an
 * uncontended lock costs far less than the hash.
 *
 * <p>The same password also keys the strict digest of {@code --auth strict} and {@code migrate}
 * ({@link #strictDigest}, docs/protocol.md "Strict authentication"): HMAC-SHA1 under a key derived from the
 * password ({@code K = HMAC-SHA1(password, "karp strict CARP key 1")}), over {@link #STRICT_LABEL}, CARP bytes
 * 0..5 (version/type, vhid, advskew, authlen, demote, advbase), the counter, the IP source (a family byte 4 or 6,
 * then its 4 or 16 bytes) and the addresses as above. The derived key and the label keep the two digests apart:
 * no strict digest is a UCarp digest of anything, nor the reverse, short of an HMAC-SHA1 collision across keys.
 */
public final class CarpHmac {
    /** The message length with one IPv4 VIP (UCarp's): 1 + 1 + 1 + 4 + 8 bytes. */
    public static final int MESSAGE_LEN = 15;
    /** version, type, vhid. */
    private static final int PREFIX_LEN = 3;
    /** The first bytes of every strict message; no UCarp message starts with them (UCarp's starts with 02 01). */
    public static final byte[] STRICT_LABEL = "karp-strict-1".getBytes(StandardCharsets.US_ASCII);
    /** The key derivation's message: the strict key is HMAC-SHA1(password, this). */
    static final byte[] STRICT_KEY_LABEL = "karp strict CARP key 1".getBytes(StandardCharsets.US_ASCII);
    /** CARP bytes 0..5 in the strict message: everything of the header before its checksum. */
    static final int STRICT_HEADER_LEN = 6;

    private final HmacSha1 mac;
    private final HmacSha1 strictMac;
    private byte[] strictMessage = new byte[STRICT_LABEL.length + STRICT_HEADER_LEN + Carp.COUNTER_LEN + 1 + 16 + 16];
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
            mac = new HmacSha1(key);
            // A key of its own for strict digests: a digest under one key says nothing under the other.
            byte[] strictKey = new byte[Carp.DIGEST_LEN];
            mac.update(STRICT_KEY_LABEL, 0, STRICT_KEY_LABEL.length);
            mac.doFinal(strictKey, 0);
            strictMac = new HmacSha1(strictKey);
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide SHA-1 (java.security.Security standard names).
            throw new IllegalStateException("SHA-1 is not available in this Java runtime", e);
        }
    }

    /**
     * HMAC-SHA1 (RFC 2104) over one reused {@link MessageDigest}, as {@link Mac} computes it: {@code Mac.doFinal(out,
     * offset)} allocates its result and copies it, 40 bytes per advert verified, which a flood of forged adverts
     * turns into young GCs (issue 16). Not thread-safe: CarpHmac's methods are synchronized.
     */
    private static final class HmacSha1 {
        private static final int BLOCK = 64;
        private final MessageDigest sha1;
        private final byte[] innerPad = new byte[BLOCK];
        private final byte[] outerPad = new byte[BLOCK];
        private final byte[] inner = new byte[Carp.DIGEST_LEN];

        HmacSha1(byte[] key) throws GeneralSecurityException {
            sha1 = MessageDigest.getInstance("SHA-1");
            byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                innerPad[i] = (byte) (b ^ 0x36);
                outerPad[i] = (byte) (b ^ 0x5c);
            }
            sha1.update(innerPad);
        }

        void update(byte[] message, int offset, int length) {
            sha1.update(message, offset, length);
        }

        /**
         * Writes the 20-byte HMAC of what was updated to {@code out[offset]}, and starts the next one.
         *
         * @throws IllegalArgumentException no room for 20 bytes there
         */
        void doFinal(byte[] out, int offset) {
            if (offset < 0 || out.length - offset < Carp.DIGEST_LEN) {
                throw new IllegalArgumentException("no room for a " + Carp.DIGEST_LEN + "-byte digest at offset "
                        + offset + " of a " + out.length + "-byte array");
            }
            try {
                sha1.digest(inner, 0, inner.length);
                sha1.update(outerPad);
                sha1.update(inner);
                sha1.digest(out, offset, Carp.DIGEST_LEN);
            } catch (DigestException e) {
                // Room was checked above; SHA-1 always has 20 bytes.
                throw new IllegalStateException(e);
            }
            sha1.update(innerPad);
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
        mac.doFinal(out, offset);
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

    // ---- strict digests (--auth strict, migrate) --------------------------------------------

    /**
     * The strict message of an advert: {@link #STRICT_LABEL}, the 6 CARP header bytes from {@code carp}
     * (version/type, vhid, advskew, authlen, demote, advbase), the counter, the family byte (4 or 6) and the IP
     * source, then {@code vips} as in the UCarp message. Exposed for tests and documentation.
     */
    public static byte[] strictMessage(byte[] header6, long counter, InetAddress source, VipAddresses vips) {
        byte[] src = source.getAddress();
        byte[] m = new byte[strictLength(src.length, vips)];
        int i = 0;
        System.arraycopy(STRICT_LABEL, 0, m, i, STRICT_LABEL.length);
        i += STRICT_LABEL.length;
        System.arraycopy(header6, 0, m, i, STRICT_HEADER_LEN);
        fillStrictTail(m, i + STRICT_HEADER_LEN, counter, src, 0, src.length, vips);
        return m;
    }

    private static int strictLength(int sourceLength, VipAddresses vips) {
        return STRICT_LABEL.length + STRICT_HEADER_LEN + Carp.COUNTER_LEN + 1 + sourceLength + vips.hmacBytesShared().length;
    }

    private static void fillStrictTail(byte[] m, int i, long counter, byte[] src, int srcOffset, int srcLength,
            VipAddresses vips) {
        for (int k = 0; k < 8; k++) {
            m[i + k] = (byte) (counter >>> (56 - 8 * k));
        }
        i += 8;
        m[i++] = (byte) (srcLength == 4 ? 4 : 6);
        System.arraycopy(src, srcOffset, m, i, srcLength);
        i += srcLength;
        byte[] addresses = vips.hmacBytesShared();
        System.arraycopy(addresses, 0, m, i, addresses.length);
    }

    /** Grows the strict message buffer and writes label and header; returns the length. */
    private int prepareStrict(int sourceLength, VipAddresses vips) {
        int length = strictLength(sourceLength, vips);
        if (strictMessage.length < length) {
            strictMessage = Arrays.copyOf(strictMessage, length);
        }
        System.arraycopy(STRICT_LABEL, 0, strictMessage, 0, STRICT_LABEL.length);
        return length;
    }

    private void finishStrict(int length, byte[] out, int offset) {
        strictMac.update(strictMessage, 0, length);
        strictMac.doFinal(out, offset);
    }

    /**
     * Writes the strict digest of the advert being built in {@code frame} to {@code out[offset]}: the CARP header
     * at {@code carp} must hold its first 6 bytes, the IP source ({@code sourceLength} 4 or 16 bytes) is at
     * {@code source}. Allocates nothing.
     */
    public synchronized void strictDigest(byte[] frame, int carp, int source, int sourceLength, long counter,
            VipAddresses vips, byte[] out, int offset) {
        int length = prepareStrict(sourceLength, vips);
        System.arraycopy(frame, carp, strictMessage, STRICT_LABEL.length, STRICT_HEADER_LEN);
        fillStrictTail(strictMessage, STRICT_LABEL.length + STRICT_HEADER_LEN, counter, frame, source, sourceLength, vips);
        finishStrict(length, out, offset);
    }

    /**
     * True when the 20 bytes at {@code digestOffset} of {@code frame} (absolute indexes) are the strict digest of
     * the advert whose CARP header is at {@code carp} and IP source at {@code source}. Constant-time comparison.
     */
    synchronized boolean verifyStrict(ByteBuffer frame, int carp, int source, int sourceLength, VipAddresses vips,
            int digestOffset) {
        int length = prepareStrict(sourceLength, vips);
        frame.get(carp, strictMessage, STRICT_LABEL.length, STRICT_HEADER_LEN);
        int i = STRICT_LABEL.length + STRICT_HEADER_LEN;
        frame.get(carp + Carp.OFF_COUNTER, strictMessage, i, Carp.COUNTER_LEN);
        i += Carp.COUNTER_LEN;
        strictMessage[i++] = (byte) (sourceLength == 4 ? 4 : 6);
        frame.get(source, strictMessage, i, sourceLength);
        i += sourceLength;
        byte[] addresses = vips.hmacBytesShared();
        System.arraycopy(addresses, 0, strictMessage, i, addresses.length);
        finishStrict(length, computed, 0);
        frame.get(digestOffset, received);
        return MessageDigest.isEqual(computed, received);
    }

    @Override
    public String toString() {
        return "CarpHmac[HmacSHA1, key redacted]";
    }
}
