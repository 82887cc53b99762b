/**
 * The CARP wire format as UCarp speaks it, with the BSD kernels' IPv6 adverts and several addresses
 * per vhid: adverts (encode, decode, HMAC), the checks an advert must pass, gratuitous ARP, the
 * unsolicited Neighbor Advertisement and the VRRP frames recognised on the same protocol number.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.carp;
