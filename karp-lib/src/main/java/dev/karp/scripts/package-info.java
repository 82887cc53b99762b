/**
 * UCarp-style up and down scripts ({@code --upscript}, {@code --downscript}), run off the protocol
 * loop.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.scripts;
