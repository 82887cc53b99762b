/**
 * A small rtnetlink client over JNA: addresses and links of an interface, in the current network
 * namespace.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.netlink;
