/**
 * A small HTTP/1.1 server for the status and metrics endpoints: one thread that never waits on a client, with
 * request timeouts and a connection limit.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.http;
