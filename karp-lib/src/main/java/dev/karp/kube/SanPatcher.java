package dev.karp.kube;

import dev.karp.net.IpAddresses;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Adds the VIP to the API server certificate's SANs for one distribution: either as instructions (the exact
 * change and the steps that apply it; docs/kubernetes.md, "Point kubeconfigs at the VIP") or as an edit of
 * the config file. Edits are textual and minimal (comments stay), idempotent (a VIP already there, compared
 * as an address, changes nothing), and re-read afterwards to prove the result parses and holds the VIP.
 */
public final class SanPatcher {
    private static final Pattern ALT_NAMES = Pattern.compile("(?m)^\\s*\\[\\s*alt_names\\s*\\]\\s*$");
    private static final Pattern ALT_ENTRY = Pattern.compile("(?m)^\\s*(IP|DNS)\\.(\\d+)\\s*=\\s*(\\S+)\\s*$");
    private static final Pattern SECTION = Pattern.compile("(?m)^\\s*\\[");
    /** MicroK8s writes the host's own addresses from IP.3 up in place of #MOREIPS; karp keeps clear of them. */
    private static final int MICROK8S_FIRST_INDEX = 100;

    private SanPatcher() {
    }

    /** The result of {@link #patch}: the new text, and what happened in words. */
    public record Patched(String text, boolean changed, String summary) {
    }

    /** The default location of the file to edit, for the instructions. */
    public static String defaultFile(Distro d) {
        return switch (d) {
            case RKE -> "cluster.yml";
            case RKE2 -> "/etc/rancher/rke2/config.yaml.d/90-karp.yaml";
            case K3S -> "/etc/rancher/k3s/config.yaml.d/90-karp.yaml";
            case KUBEADM -> "kubeadm.yaml";
            case TALOS -> "controlplane.yaml";
            case K0S -> "/etc/k0s/k0s.yaml";
            case MICROK8S -> "/var/snap/microk8s/current/certs/csr.conf.template";
        };
    }

    /** Edits {@code text} (the content of {@code file}, "" for a new file) so the certificate will hold {@code vip}. */
    public static Patched patch(Distro d, Path file, String text, InetAddress vip) {
        String v = IpAddresses.format(vip);
        if (d == Distro.MICROK8S) {
            return patchCsrTemplate(file, text, vip);
        }
        List<String> path = yamlPath(d, file);
        List<Node> docs = YamlText.parse(text, file.toString());
        int index = documentIndex(d, file, docs);
        Node root = index < docs.size() ? docs.get(index) : null;
        if (root != null && YamlText.hasAnchors(root)) {
            // An alias is the same node in two places: a textual edit of one would change or break both.
            throw new IllegalArgumentException(file + " uses YAML anchors or aliases (&name, *name), which karp cannot"
                    + " edit safely; add " + v + " to " + String.join(".", path) + " by hand ('karp san patch --distro "
                    + d.cliName() + " --vip " + v + "' prints how)");
        }
        BiPredicate<String, String> same = d == Distro.RKE2 || d == Distro.K3S ? SanPatcher::sameInCommaList : SanPatcher::same;
        String after;
        try {
            after = YamlText.ensureSequenceItem(text, root, path, v, same);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        String key = String.join(".", path);
        if (after.equals(text)) {
            return new Patched(text, false, v + " is already in " + key + " in " + file + "; nothing to change");
        }
        if (text.isBlank() && root == null) {
            after = "# Added by karp san patch: the VIP as an extra SAN of the API server certificate.\n" + after;
        }
        // Prove the edit: it parses, and the list now holds the VIP exactly once.
        List<Node> check = YamlText.parse(after, file + " (as edited)");
        long count = YamlText.sequenceItems(check.get(index), path).stream().filter(s -> same.test(s, v)).count();
        if (count != 1) {
            throw new IllegalStateException("editing " + file + " went wrong: " + key + " holds " + v + " " + count
                    + " times; the file was not changed");
        }
        return new Patched(after, true, "added " + v + " to " + key + " in " + file);
    }

    /**
     * {@link #patch(Distro, Path, String, InetAddress)} for each VIP in turn: one summary line per VIP, changed when
     * any was added.
     */
    public static Patched patch(Distro d, Path file, String text, List<InetAddress> vips) {
        String current = text;
        boolean changed = false;
        List<String> summaries = new ArrayList<>();
        for (InetAddress vip : vips) {
            Patched p = patch(d, file, current, vip);
            current = p.text();
            changed |= p.changed();
            summaries.add(p.summary());
        }
        return new Patched(current, changed, String.join("\n", summaries));
    }

    static List<String> yamlPath(Distro d, Path file) {
        return switch (d) {
            case RKE -> List.of("authentication", "sans");
            // k3s and RKE2 merge config.yaml.d drop-ins by name, the last value of a key winning: a drop-in
            // replaces the main file's list unless the key ends in '+'.
            case RKE2, K3S -> List.of(isDropIn(file) ? "tls-san+" : "tls-san");
            case KUBEADM -> List.of("apiServer", "certSANs");
            case TALOS -> List.of("cluster", "apiServer", "certSANs");
            case K0S -> List.of("spec", "api", "sans");
            case MICROK8S -> throw new IllegalArgumentException("MicroK8s uses an openssl template, not YAML");
        };
    }

    /** A k3s/RKE2 drop-in: a file in a directory named config.yaml.d. */
    public static boolean isDropIn(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("config.yaml.d");
    }

    private static int documentIndex(Distro d, Path file, List<Node> docs) {
        if (docs.size() <= 1) {
            return 0;
        }
        for (int i = 0; i < docs.size(); i++) {
            Node doc = docs.get(i);
            Optional<String> kind = YamlText.scalar(doc, "kind");
            boolean match = switch (d) {
                case KUBEADM -> kind.filter("ClusterConfiguration"::equals).isPresent();
                case K0S -> kind.filter("ClusterConfig"::equals).isPresent();
                case TALOS -> YamlText.entry(doc, "cluster").isPresent() || YamlText.entry(doc, "machine").isPresent();
                default -> false;
            };
            if (match) {
                return i;
            }
        }
        String want = switch (d) {
            case KUBEADM -> "a document with kind: ClusterConfiguration";
            case K0S -> "a document with kind: ClusterConfig";
            case TALOS -> "a v1alpha1 document with machine: and cluster:";
            default -> "one document";
        };
        throw new IllegalArgumentException(file + " holds " + docs.size() + " YAML documents but not " + want);
    }

    private static Patched patchCsrTemplate(Path file, String text, InetAddress vip) {
        String v = IpAddresses.format(vip);
        Matcher header = ALT_NAMES.matcher(text);
        if (!header.find()) {
            throw new IllegalArgumentException(file + " has no [ alt_names ] section; is it MicroK8s's csr.conf.template?");
        }
        int sectionStart = header.end();
        Matcher next = SECTION.matcher(text);
        int sectionEnd = next.find(sectionStart) ? next.start() : text.length();
        String section = text.substring(sectionStart, sectionEnd);
        int maxIp = 0;
        int lastEntryEnd = -1;
        Matcher entry = ALT_ENTRY.matcher(section);
        while (entry.find()) {
            if (entry.group(1).equals("IP")) {
                if (same(entry.group(3), v)) {
                    return new Patched(text, false, v + " is already in [ alt_names ] in " + file + "; nothing to change");
                }
                maxIp = Math.max(maxIp, Integer.parseInt(entry.group(2)));
            }
            lastEntryEnd = sectionStart + entry.end();
        }
        int n = Math.max(MICROK8S_FIRST_INDEX, maxIp + 1);
        String line = "IP." + n + " = " + v + "\n";
        // Before #MOREIPS when it is there, so the line sits with the fixed entries; else after the last entry.
        int moreIps = section.indexOf("#MOREIPS");
        int at;
        if (moreIps >= 0) {
            at = text.lastIndexOf('\n', sectionStart + moreIps) + 1;
        } else if (lastEntryEnd >= 0) {
            at = text.indexOf('\n', lastEntryEnd);
            at = at < 0 ? text.length() : at + 1;
        } else {
            at = text.indexOf('\n', sectionStart);
            at = at < 0 ? text.length() : at + 1;
        }
        String prefix = at > 0 && text.charAt(at - 1) != '\n' ? "\n" : "";
        return new Patched(text.substring(0, at) + prefix + line + text.substring(at), true,
                "added IP." + n + " = " + v + " to [ alt_names ] in " + file);
    }

    /**
     * The change and the steps to apply it for several VIPs: the one-VIP text with each list item, MicroK8s line
     * and {@code --vip} repeated per VIP.
     */
    public static String instructions(Distro d, List<InetAddress> vips) {
        if (vips.size() == 1) {
            return instructions(d, vips.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (String line : instructions(d, VIP_MARK).split("\n", -1)) {
            if (line.contains("--vip " + VIP_MARK)) {
                sb.append(line.replace("--vip " + VIP_MARK, VipAddresses.flags(vips))).append('\n');
            } else if (line.contains("IP.100 = " + VIP_MARK)) {
                for (int i = 0; i < vips.size(); i++) {
                    sb.append(line.replace("IP.100 = " + VIP_MARK, "IP." + (MICROK8S_FIRST_INDEX + i) + " = "
                            + IpAddresses.format(vips.get(i)))).append('\n');
                }
            } else if (line.contains(VIP_MARK)) {
                vips.forEach(v -> sb.append(line.replace(VIP_MARK, IpAddresses.format(v))).append('\n'));
            } else {
                sb.append(line).append('\n');
            }
        }
        return sb.substring(0, sb.length() - 1);
    }

    /** Stands for the VIP in the one-VIP text while it is expanded to several. */
    private static final String VIP_MARK = "@VIP@";

    /** The change and the steps to apply it, for a person to read and run. */
    public static String instructions(Distro d, InetAddress vip) {
        return instructions(d, IpAddresses.format(vip));
    }

    private static String instructions(Distro d, String v) {
        String q = "\"" + v + "\"";
        String check = "Check:\n  karp san check --server <control-plane-node>:6443 --vip " + v + "\n";
        return switch (d) {
            case RKE -> """
                    RKE: add the VIP to authentication.sans in cluster.yml, on the host you run rke from:

                      authentication:
                        strategy: x509
                        sans:
                          - %2$s

                    Or let karp edit it:
                      karp san patch --distro rke --vip %1$s --file cluster.yml

                    Then apply it; rke compares the API server certificate's SANs and issues a new one:
                      rke up --config cluster.yml

                    """.formatted(v, q) + check;
            case RKE2, K3S -> {
                String name = d == Distro.RKE2 ? "rke2" : "k3s";
                String service = d == Distro.RKE2 ? "rke2-server" : "k3s";
                yield """
                        %3$s: add the VIP to tls-san on every server node. A drop-in file leaves your config.yaml
                        as it is; "tls-san+" adds to the list there instead of replacing it:

                          sudo mkdir -p /etc/rancher/%4$s/config.yaml.d
                          sudo tee /etc/rancher/%4$s/config.yaml.d/90-karp.yaml <<'EOF'
                          tls-san+:
                            - %2$s
                          EOF

                        Or let karp write it (--file /etc/rancher/%4$s/config.yaml edits tls-san there instead):
                          sudo karp san patch --distro %4$s --vip %1$s --file /etc/rancher/%4$s/config.yaml.d/90-karp.yaml

                        Then restart the servers, one at a time; %3$s issues a new serving certificate when a
                        configured SAN is missing from it:
                          sudo systemctl restart %5$s

                        """.formatted(v, q, d == Distro.RKE2 ? "RKE2" : "k3s", name, service) + check;
            }
            case KUBEADM -> """
                    kubeadm: add the VIP to apiServer.certSANs in the ClusterConfiguration, then issue a new API
                    server certificate on every control-plane node, one node at a time. ("kubeadm certs renew"
                    keeps the old SANs, and "init phase certs" skips files that exist, hence the move.)

                      kubectl -n kube-system get cm kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' > kubeadm.yaml
                      karp san patch --distro kubeadm --vip %1$s --file kubeadm.yaml

                    The change in kubeadm.yaml:
                      apiServer:
                        certSANs:
                          - %2$s

                    On each control-plane node, with kubeadm.yaml copied there:
                      sudo mkdir -p /root/pki-backup
                      sudo mv /etc/kubernetes/pki/apiserver.crt /etc/kubernetes/pki/apiserver.key /root/pki-backup/
                      sudo kubeadm init phase certs apiserver --config kubeadm.yaml
                      sudo openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -ext subjectAltName
                      # the kubelet starts the API server again with the new certificate:
                      sudo crictl stopp $(sudo crictl pods --name kube-apiserver -q)

                    The new certificate must still hold the node's own address: kubeadm takes it from the
                    default-route interface unless the file has an InitConfiguration with
                    localAPIEndpoint.advertiseAddress.

                    Once, so later joins and upgrades keep the SAN:
                      sudo kubeadm init phase upload-config kubeadm --config kubeadm.yaml
                      # or: kubectl -n kube-system edit cm kubeadm-config

                    """.formatted(v, q) + check;
            case TALOS -> """
                    Talos: the API server certificate takes extra SANs from cluster.apiServer.certSANs
                    (machine.certSANs is the Talos API's certificate, not Kubernetes'). Patch every
                    control-plane node:

                      cat > karp-san.yaml <<'EOF'
                      cluster:
                        apiServer:
                          certSANs:
                            - %2$s
                      EOF
                      talosctl patch machineconfig --nodes <cp1>,<cp2>,<cp3> --patch @karp-san.yaml

                    Or edit the machine config you keep, and apply it:
                      karp san patch --distro talos --vip %1$s --file controlplane.yaml
                      talosctl apply-config --nodes <cp1> --file controlplane.yaml

                    """.formatted(v, q) + check;
            case K0S -> """
                    k0s: add the VIP to spec.api.sans in /etc/k0s/k0s.yaml on every controller:

                      spec:
                        api:
                          sans:
                            - %2$s

                    Or let karp edit it:
                      sudo karp san patch --distro k0s --vip %1$s --file /etc/k0s/k0s.yaml

                    Then restart k0s on each controller, one at a time:
                      sudo k0s stop && sudo k0s start

                    """.formatted(v, q) + check;
            case MICROK8S -> """
                    MicroK8s: add the VIP to the [ alt_names ] section of
                    /var/snap/microk8s/current/certs/csr.conf.template on every node. MicroK8s puts the
                    host's own addresses at IP.3 and up where #MOREIPS stands, so take a high number:

                      IP.100 = %1$s

                    Or let karp edit it:
                      sudo karp san patch --distro microk8s --vip %1$s --file /var/snap/microk8s/current/certs/csr.conf.template

                    MicroK8s sees the template change, issues a new certificate and restarts the API server;
                    to do it at once:
                      sudo microk8s refresh-certs --cert server.crt

                    Check (MicroK8s serves the API on 16443):
                      karp san check --server <node>:16443 --vip %1$s
                    """.formatted(v);
        };
    }

    /** What to run after {@code --file} changed a file. */
    public static String nextSteps(Distro d, Path file, InetAddress vip) {
        return nextSteps(d, file, List.of(vip));
    }

    /** What to run after {@code --file} changed a file for several VIPs. */
    public static String nextSteps(Distro d, Path file, List<InetAddress> vips) {
        String v = VipAddresses.flags(vips).substring("--vip ".length());
        String check = "then check: karp san check --server <node>:" + (d == Distro.MICROK8S ? 16443 : 6443) + " --vip " + v;
        return switch (d) {
            case RKE -> "next: rke up --config " + file + "\n" + check;
            case RKE2 -> "next: sudo systemctl restart rke2-server, on each server node in turn\n" + check;
            case K3S -> "next: sudo systemctl restart k3s, on each server node in turn\n" + check;
            case KUBEADM -> "next: on each control-plane node, move apiserver.crt and apiserver.key out of"
                    + " /etc/kubernetes/pki and run: sudo kubeadm init phase certs apiserver --config " + file
                    + "\n(see: karp san patch --distro kubeadm --vip " + v + ")\n" + check;
            case TALOS -> "next: talosctl apply-config --nodes <control-plane node> --file " + file + "\n" + check;
            case K0S -> "next: sudo k0s stop && sudo k0s start, on each controller in turn\n" + check;
            case MICROK8S -> "next: sudo microk8s refresh-certs --cert server.crt (or wait: MicroK8s notices the change)\n" + check;
        };
    }

    static boolean same(String a, String b) {
        Optional<InetAddress> x = IpAddresses.parse(a);
        Optional<InetAddress> y = IpAddresses.parse(b);
        if (x.isPresent() && y.isPresent()) {
            return x.get().equals(y.get());
        }
        return a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }

    /** k3s and RKE2 also take {@code tls-san: "a,b"}, as their --tls-san flag does. */
    private static boolean sameInCommaList(String value, String item) {
        List<String> parts = new ArrayList<>(List.of(value.split(",")));
        return parts.stream().anyMatch(p -> same(p, item));
    }
}
