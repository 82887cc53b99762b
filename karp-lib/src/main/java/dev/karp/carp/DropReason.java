package dev.karp.carp;

/**
 * Why a received frame was not accepted as an advert, in the order {@link AdvertChain} checks
 * (ucarp-spec §1.6). Each reason has its own counter in {@link DropCounters}, like
 * {@code struct carpstats} in carp(4).
 */
public enum DropReason {
    /** §1.6 step 1: not even an Ethernet and IPv4 header. */
    TOO_SHORT("too short", false),
    /** karp addition to step 3: neither an IPv4 nor an IPv6 frame (UCarp's BPF filter never passes one). */
    NOT_IPV4("not IPv4", false),
    /** §1.6 step 2: our own advert, looped back. */
    OWN_SOURCE("own source", false),
    /**
     * karp addition to step 2: a frame from our own source address that is none of our adverts (the capture sees
     * no frame we send): another host sends adverts in our name.
     */
    SPOOFED_SOURCE("spoofed source", true),
    /** §1.6 step 3: an IP protocol other than 112. */
    NOT_CARP("not CARP", false),
    /** karp addition to step 3: a VRRP advert; same protocol number, different protocol. */
    VRRP("VRRP", true),
    /** §1.6 step 4: IP header length bogus or the frame shorter than the header says. */
    BOGUS_SIZE("bogus size", false),
    /** §1.6 step 5: TTL is not 255, so the advert crossed a router. */
    BAD_TTL("bad TTL", true),
    /** §1.6 step 6: CARP version is not 2. */
    BAD_VERSION("bad version", true),
    /** §1.6 step 7: another virtual host on the same link. */
    OTHER_VHID("other vhid", false),
    /** §1.6 step 8: sent to another multicast group. */
    OTHER_GROUP("other group", false),
    /** §1.6 step 9: IP or CARP checksum wrong. */
    BAD_CHECKSUM("bad checksum", true),
    /** §1.6 step 10: HMAC mismatch: password, vhid or VIP differ between nodes. */
    BAD_DIGEST("bad HMAC", true),
    /** Unicast mode (--peer): a valid advert from an address that is not in the peer list. */
    NOT_A_PEER("not a listed peer", true),
    /**
     * {@code --auth strict} (and {@code migrate} for its own frames): the strict HMAC, which covers advbase, advskew
     * and the source, does not match: an altered or forged advert, a UCarp-mode sender, or another password.
     */
    FORGED("forged", true),
    /** {@code --auth strict}, {@code migrate}: a valid strict advert whose counter was accepted before (a replay). */
    REPLAYED("replayed", true);

    private final String label;
    private final boolean noteworthy;

    DropReason(String label, boolean noteworthy) {
        this.label = label;
        this.noteworthy = noteworthy;
    }

    /** A short lower-case label for status output, e.g. {@code bad HMAC}. */
    public String label() {
        return label;
    }

    /** The label, as logs name the reason ({@code suppressed 3 more 'bad HMAC' warnings}); {@link #name()} is the key. */
    @Override
    public String toString() {
        return label;
    }

    /**
     * True for drops that point at a misconfigured or broken peer, which UCarp logs as WARNING;
     * false for routine traffic on a shared link (own adverts, other vhids), which it logs as DEBUG.
     */
    public boolean noteworthy() {
        return noteworthy;
    }
}
