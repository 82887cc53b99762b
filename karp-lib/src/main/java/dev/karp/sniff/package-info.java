/**
 * {@code karp sniff}: live and offline capture and decoding of CARP, VRRP and ARP for diagnosis. Not
 * used by the failover engine.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.sniff;
