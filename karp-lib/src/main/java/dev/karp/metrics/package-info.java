/**
 * The Prometheus metrics of {@code karp run} (option metrics-addr), read from the status snapshot; the
 * only package that needs the optional prometheus-metrics dependencies.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.metrics;
