/**
 * The virtual IP on the interface: added and removed through rtnetlink.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.vip;
