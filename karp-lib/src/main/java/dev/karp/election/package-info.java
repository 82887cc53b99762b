/**
 * The CARP election as a pure state machine: {@link dev.karp.election.Election} takes
 * {@link dev.karp.election.Event}s (with the monotonic time they happened at) and returns the
 * {@link dev.karp.election.Action}s the daemon must carry out. No I/O, no threads, no clock reads;
 * this package imports only {@code java.*}. The rules follow ucarp-spec §4; the deliberate
 * differences from UCarp are listed in docs/protocol.md, section "Election".
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.election;
