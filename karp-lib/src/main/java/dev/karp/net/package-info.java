/**
 * Addresses and prefixes: {@link dev.karp.net.Cidr} and the parsing and formatting of IP literals.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.net;
