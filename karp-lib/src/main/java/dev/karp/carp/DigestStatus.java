package dev.karp.carp;

/** Whether an advert's HMAC was checked, and how it came out. */
public enum DigestStatus {
    /** The HMAC matches the password, vhid and VIP. */
    VALID,
    /** The HMAC does not match. */
    INVALID,
    /** Not checked: no password, or no VIP to check against. */
    UNCHECKED;

    /** {@code valid}, {@code invalid} or {@code unchecked}, as shown by sniff and logs. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
