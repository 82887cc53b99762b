package dev.karp.kube;

import java.util.Locale;

/** Kubernetes distributions whose API server certificate SANs {@code karp san patch} knows how to extend. */
public enum Distro {
    RKE, RKE2, K3S, KUBEADM, TALOS, K0S, MICROK8S;

    /** The name on the command line: {@code rke2}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Distro fromCli(String name) {
        for (Distro d : values()) {
            if (d.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("--distro " + name + " is not known (expected: rke, rke2, k3s, kubeadm, talos,"
                + " k0s or microk8s)");
    }
}
