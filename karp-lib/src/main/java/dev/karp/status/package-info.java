/**
 * The status snapshot of a running node, its JSON form, and the HTTP endpoint and client of {@code
 * karp status}.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.status;
