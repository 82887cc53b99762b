package dev.karp.kube;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Where the DaemonSet or static Pod gets the CARP password from. It never becomes a plain env value. */
public sealed interface PasswordSource {
    /** ucarp-spec §2.1: the key sits with its NUL in a 20-byte buffer, so UCarp peers take at most 19 bytes. */
    int MAX_BYTES = 19;

    /** A password karp renders into a Secret of its own. */
    record Literal(String password) implements PasswordSource {
        public Literal {
            int bytes = password.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0) {
                throw new IllegalArgumentException("the password is empty (expected: 1.." + MAX_BYTES + " bytes)");
            }
            if (bytes > MAX_BYTES) {
                throw new IllegalArgumentException("the password is " + bytes + " bytes long (expected: 1.." + MAX_BYTES
                        + " bytes, the UCarp limit)");
            }
            if (password.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the password holds a line break; a password file's first line is the password");
            }
        }

        @Override
        public String toString() {
            return "Literal[password=(hidden)]";
        }
    }

    /** A Secret the user made; its key {@code password} holds the password. karp renders no Secret. */
    record ExistingSecret(String name) implements PasswordSource {
    }

    /** A file on each node, for the static Pod, which cannot refer to Secrets (a kubelet rule). */
    record HostFile(String path) implements PasswordSource {
        public HostFile {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("--host-password-file " + path + " is not an absolute path");
            }
        }
    }

    /** The password as UCarp reads a passfile: the first line, without its {@code \n} (ucarp-spec §2.1). */
    public static String firstLine(String fileContent) {
        int nl = fileContent.indexOf('\n');
        return nl < 0 ? fileContent : fileContent.substring(0, nl);
    }

    /** 16 random letters and digits: as kube-karp's chart made them, but made once and shown, never again. */
    public static String generate(SecureRandom random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
