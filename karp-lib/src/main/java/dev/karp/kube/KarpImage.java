package dev.karp.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The container image karp's manifests run: one name, in one place, so the CLI, {@code manifests/karp.yaml},
 * the kustomize base and the Helm chart agree (tests check that they do).
 */
public final class KarpImage {
    /** Where release images are published; {@code --registry} swaps the host for a mirror. */
    public static final String REPOSITORY = "docker.io/karpdev/karp";
    /** The project version without {@code -SNAPSHOT}: a development build renders the release it leads to. */
    public static final String TAG = releaseVersion(projectVersion());
    public static final String DEFAULT = REPOSITORY + ":" + TAG;

    private KarpImage() {
    }

    /** The Maven project version, from a resource filled in at build time. */
    public static String projectVersion() {
        try (InputStream in = KarpImage.class.getResourceAsStream("karp.properties")) {
            if (in == null) {
                throw new IllegalStateException("karp.properties missing from the karp-lib jar; rebuild with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String releaseVersion(String version) {
        return version.endsWith("-SNAPSHOT") ? version.substring(0, version.length() - "-SNAPSHOT".length()) : version;
    }

    /**
     * The same image from another registry: {@code withRegistry("docker.io/karpdev/karp:0.1.0",
     * "registry.local:5000")} is {@code registry.local:5000/karpdev/karp:0.1.0}. The first path part is a
     * registry when it has a dot or a colon or is {@code localhost}, as for docker and containerd.
     */
    public static String withRegistry(String image, String registry) {
        String r = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return r + image.substring(slash);
            }
        }
        return r + "/" + image;
    }
}
