package dev.karp.carp;

/**
 * The values that vary between adverts of one node. Everything else in the frame follows from
 * the {@link CarpSender}.
 *
 * @param vhid    virtual host id, 1..255
 * @param advbase base interval in seconds, 0..255
 * @param advskew skew in 1/256 s, 0..255
 * @param counter the 64-bit counter from {@link CarpCounter}
 */
public record Advert(int vhid, int advbase, int advskew, long counter) {
    public Advert {
        Carp.checkVhid(vhid);
        if (advbase < 0 || advbase > 255) {
            throw new IllegalArgumentException("advbase " + advbase + " is out of range (expected: 0..255)");
        }
        if (advskew < 0 || advskew > 255) {
            throw new IllegalArgumentException("advskew " + advskew + " is out of range (expected: 0..255)");
        }
    }
}
