/**
 * Durations as karp reads and writes them: option values, seconds to the millisecond, ages.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.time;
