/**
 * The protocol loop: one thread that receives adverts, drives the election, sends adverts and carries
 * out its actions on the link and the VIP.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.daemon;
