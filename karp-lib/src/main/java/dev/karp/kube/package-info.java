/**
 * Kubernetes tooling of the CLI (render-manifest, san, kubeconfig): manifests, certificates and
 * comment-preserving YAML edits. Not used by the failover engine.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.kube;
