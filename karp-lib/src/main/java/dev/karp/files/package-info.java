/**
 * Checked reads of the files karp is given: regular files only (links followed), with a size cap, refused before
 * they are opened.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.files;
