package dev.karp.carp;

import java.util.Objects;

/** What {@link CarpCodec#decode} found in a frame. */
public sealed interface Decoded {

    /**
     * A CARP advert, decoded even when its checksums or TTL are wrong so that it can be shown.
     *
     * @param packet         every field as on the wire
     * @param ipChecksumOk   the IP header (with options) sums to zero; always true over IPv6, which has no header checksum
     * @param carpChecksumOk the 36-byte CARP header sums to zero
     * @param ipHeaderLength IHL × 4; 20 from UCarp, options are tolerated (ucarp-spec §1.6 step 3); 40 over IPv6
     * @param ipTotalLength  the IP total length field; 56 from UCarp, not checked by UCarp; over IPv6 40 + the
     *                       payload length (76)
     * @param frameLength    captured bytes; 70 from UCarp
     */
    record CarpFrame(CarpPacket packet, boolean ipChecksumOk, boolean carpChecksumOk,
            int ipHeaderLength, int ipTotalLength, int frameLength) implements Decoded {
        public CarpFrame {
            Objects.requireNonNull(packet, "packet");
        }

        public boolean checksumsOk() {
            return ipChecksumOk && carpChecksumOk;
        }
    }

    /**
     * A VRRP advert (see {@link CarpCodec} for how it is told apart from CARP).
     *
     * @param packet         the VRRP fields
     * @param ipChecksumOk   the IP header sums to zero
     * @param vrrpChecksumOk the VRRP checksum is valid (v3: with the IPv4 pseudo-header)
     */
    record VrrpFrame(VrrpPacket packet, boolean ipChecksumOk, boolean vrrpChecksumOk) implements Decoded {
        public VrrpFrame {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** An Ethernet/IPv4 ARP packet; gratuitous ones name a VIP. */
    record ArpFrame(ArpPacket packet) implements Decoded {
        public ArpFrame {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /**
     * Not a CARP, VRRP or ARP frame that can be decoded.
     *
     * @param reason  the check that failed
     * @param message what was seen and what was expected, e.g. {@code bad CARP version 3 (expected: 2)}
     */
    record Rejected(DropReason reason, String message) implements Decoded {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
