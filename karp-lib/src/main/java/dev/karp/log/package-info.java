/**
 * Logging for the whole library: one-line records through java.util.logging, and rate limiting for
 * repeated warnings.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.log;
