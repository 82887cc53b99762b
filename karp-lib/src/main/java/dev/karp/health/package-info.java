/**
 * Health checks (HTTP or a command) run beside the protocol loop, with hysteresis; a failing check
 * lowers the node's priority.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.health;
