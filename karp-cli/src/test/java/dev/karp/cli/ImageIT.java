package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.karp.kube.KarpImage;
import dev.karp.lab.Await;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, run the way Kubernetes runs it, without a container engine: karp-oci.tar
 * unpacked by umoci, the image's entrypoint started in the root filesystem (chroot) mounted read-only,
 * with a tmpfs on /tmp, a read-only /etc/karp for the password, capabilities NET_ADMIN and NET_RAW
 * only and no_new_privs, on the host network of each lab node (its network namespace).
 */
@Tag("netns")
class ImageIT {
    private static final Duration ELECTION = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CAP_NET_ADMIN (12) and CAP_NET_RAW (13), as /proc/PID/status prints capability sets. */
    private static final String NET_ADMIN_AND_RAW = "0000000000003000";

    /**
     * One node's container: private mounts (gone with the process), the image's root filesystem bound
     * read-only, then capsh chroots, drops every capability but the two from the bounding set, sets
     * no_new_privs and execs the entrypoint: the java process ends up with the script's pid.
     */
    private static final String NODE_SCRIPT = """
            #!/bin/sh
            # node.sh ROOTFS SECRETS MOUNTPOINT ENTRYPOINT ARGS...
            set -eu
            rootfs=$1 secrets=$2 m=$3 entrypoint=$4
            shift 4
            mkdir -p "$m"
            mount --bind "$rootfs" "$m"
            mount -o remount,bind,ro "$m"
            mount -t tmpfs -o size=16m,mode=1777 tmpfs "$m/tmp"
            mount -t proc proc "$m/proc"
            mount -t sysfs -o ro sysfs "$m/sys"
            mount -t tmpfs -o size=64k,mode=755 tmpfs "$m/dev"
            for d in null:3 zero:5 full:7 random:8 urandom:9; do mknod -m 666 "$m/dev/${d%:*}" c 1 "${d#*:}"; done
            mount --bind "$secrets" "$m/etc/karp"
            mount -o remount,bind,ro "$m/etc/karp"
            drop=$(capsh --print | sed -n 's/^Bounding set =//p' | tr ',' '\\n' \\
              | grep -v -e '^cap_net_admin$' -e '^cap_net_raw$' -e '^cap_setpcap$' | tr '\\n' ',')cap_setpcap
            exec capsh --chroot="$m" --drop="$drop" --caps=cap_net_admin,cap_net_raw+eip --no-new-privs \\
              --shell="$entrypoint" -- "$@"
            """;

    @TempDir
    static Path work;
    static Path rootfs;
    static JsonNode config;
    static JsonNode index;

    @BeforeAll
    static void unpackImage() throws IOException {
        NetnsSupport.assumeRootOrFail();
        Path tar = Artifacts.require(Artifacts.IMAGE, "-Dkarp.image.skip");
        Artifacts.requireTool("umoci", "umoci");
        Artifacts.requireTool("capsh", "libcap2-bin");
        Path layout = Files.createDirectories(work.resolve("layout"));
        Artifacts.run(Duration.ofSeconds(60), "tar", "-xf", tar.toString(), "-C", layout.toString());
        index = JSON.readTree(layout.resolve("index.json").toFile());
        Path bundle = work.resolve("bundle");
        Artifacts.run(Duration.ofSeconds(120), "umoci", "unpack", "--image", layout + ":" + KarpImage.TAG, bundle.toString());
        rootfs = bundle.resolve("rootfs");
        String manifest = index.path("manifests").get(0).path("digest").asText();
        JsonNode m = JSON.readTree(blob(layout, manifest).toFile());
        config = JSON.readTree(blob(layout, m.path("config").path("digest").asText()).toFile());
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    @Test
    void theImageIsNamedAsTheManifestsNameItUnderTheVersionAndLatest() {
        // given / when
        List<String> names = new ArrayList<>();
        index.path("manifests").forEach(e -> names.add(e.path("annotations").path("io.containerd.image.name").asText()));

        // then
        assertThat(names).containsExactly(KarpImage.DEFAULT, KarpImage.REPOSITORY + ":latest");
        assertThat(config.path("config").path("Labels").path("org.opencontainers.image.version").asText())
                .isEqualTo(KarpImage.TAG);
        assertThat(config.path("config").path("Entrypoint").get(0).asText()).isEqualTo("/opt/karp/bin/karp");
    }

    @Test
    void everyLibraryOfTheRuntimeAndOfLibpcapResolvesInsideTheImage() throws IOException {
        // given: the image's own dynamic loader lists what each object needs
        List<String> objects = List.of("/opt/karp/runtime/bin/java", "/opt/karp/runtime/lib/server/libjvm.so",
                "/opt/karp/lib/native/libjnidispatch.so", "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8", "/bin/sh");

        for (String object : objects) {
            // when
            String out = Artifacts.run(Duration.ofSeconds(20), "chroot", rootfs.toString(),
                    "/lib64/ld-linux-x86-64.so.2", "--list", object).stdout();

            // then
            assertThat(out).as(object).doesNotContain("not found").contains("libc.so.6");
        }
    }

    @Test
    void threeNodesRunningTheImageElectOneHolderAndFailOver() throws Exception {
        try (NetnsLab lab = NetnsLab.create(3)) {
            // given: the password as a read-only secret volume, and each node's container
            Path secrets = Files.createDirectories(lab.dir().resolve("secrets"));
            Files.writeString(secrets.resolve("password"), "image-test\n");
            Path script = lab.dir().resolve("node.sh");
            Files.writeString(script, NODE_SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            String entrypoint = config.path("config").path("Entrypoint").get(0).asText();
            List<LabProcess> nodes = new ArrayList<>();
            boolean elected = true;
            for (int i = 1; i <= 3 && elected; i++) {
                LabHost n = lab.node(i);
                // advskew 0, 50, 100: n1 is the preferred master, n2 the next (ucarp-spec §4.6).
                nodes.add(lab.start(n, "karp-image-" + n.label(), "unshare", "--mount", "--propagation", "private",
                        script.toString(), rootfs.toString(), secrets.toString(),
                        lab.dir().resolve("root-" + n.label()).toString(), entrypoint,
                        "run", "--interface=eth0", "--srcip=" + n.address(), "--vhid=7", "--advbase=1",
                        "--advskew=" + (i - 1) * 50, "--password-file=/etc/karp/password", "--vip=" + NetnsLab.VIP + "/24"));
                // One at a time, without preemption: a container that starts sooner must not keep the VIP, and
                // the backups must follow n1 before it is killed below.
                elected = i == 1
                        ? Await.untilStable(ELECTION, Duration.ofSeconds(2), () -> lab.heldBy(lab.node(1)))
                        : NetnsLab.settles(() -> lab.comesToFollow(n, lab.node(1)));
            }

            // then
            assertThat(elected).as(lab.logs()).isTrue();
            assertThat(lab.ping(lab.client(), NetnsLab.VIP, 3, Duration.ofSeconds(5))).isTrue();
            for (LabProcess p : nodes) {
                String status = Files.readString(Path.of("/proc", Long.toString(p.pid()), "status"));
                assertThat(field(status, "CapEff")).as(p.name()).isEqualTo(NET_ADMIN_AND_RAW);
                assertThat(field(status, "CapBnd")).as(p.name()).isEqualTo(NET_ADMIN_AND_RAW);
                assertThat(field(status, "NoNewPrivs")).as(p.name()).isEqualTo("1");
                assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "exe")).toString())
                        .as(p.name()).endsWith("/opt/karp/runtime/bin/java");
                assertThat(rootMountOptions(p)).as(p.name()).contains("ro");
                // Nothing written at run time: no JNA stub, no hsperfdata, in the only writable place.
                try (Stream<Path> tmp = Files.list(Path.of("/proc", Long.toString(p.pid()), "root", "tmp"))) {
                    assertThat(tmp).as(p.name()).isEmpty();
                }
            }

            // when: the master's node loses power: karp dies without bowing out, and its interface (with
            // the VIP it held) is gone
            nodes.get(0).kill();
            lab.deleteInterface(lab.node(1));
            boolean failedOver = Await.untilStable(ELECTION, Duration.ofSeconds(2), () -> lab.heldBy(lab.node(2)));

            // then
            assertThat(failedOver).as(lab.logs()).isTrue();
            assertThat(lab.ping(lab.client(), NetnsLab.VIP, 3, Duration.ofSeconds(5))).isTrue();

            // and: SIGTERM makes the new master bow out and exit 0, like the jar
            nodes.get(1).term();
            assertThat(nodes.get(1).waitFor(Duration.ofSeconds(10))).contains(0);
        }
    }

    private static String field(String status, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(\\S+)").matcher(status);
        return m.find() ? m.group(1) : "";
    }

    /** The mount options of the process's root, from its own view of the mounts. */
    private static List<String> rootMountOptions(LabProcess p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 5 && f[4].equals("/")) {
                return List.of(f[5].split(","));
            }
        }
        return List.of();
    }
}
