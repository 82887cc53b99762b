/**
 * The CARP wire format as UCarp speaks it: adverts (encode, decode, HMAC), the checks an advert must
 * pass, gratuitous ARP and the VRRP frames recognised on the same protocol number.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.carp;
