package dev.karp.kube;

import dev.karp.files.RegularFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's lock on a kubeconfig: the file {@code FILE.lock}, created exclusively (O_EXCL) before an edit and
 * removed after it, as {@code kubectl config} does. Held from before the read to after the rename, so two
 * rewrites of one file (two karps, or karp and kubectl) cannot both read the old text and lose an edit.
 */
public final class KubeconfigLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);

    private final List<Path> held;

    private KubeconfigLock(List<Path> held) {
        this.held = held;
    }

    /** The lock file kubectl uses for {@code file}. */
    public static Path lockFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /**
     * Takes the lock of each file, in the order given, waiting up to {@code wait} for each that another
     * program holds. Files whose directory does not exist are skipped (there is nothing to edit there).
     *
     * @throws IOException one line naming the lock file that stayed, and what to do; no lock is left held
     */
    public static KubeconfigLock acquire(List<Path> files, Duration wait) throws IOException {
        List<Path> held = new ArrayList<>();
        try {
            for (Path f : files) {
                Path lock = lockFile(f);
                if (lock.getParent() != null && !Files.isDirectory(lock.getParent())) {
                    continue;
                }
                take(lock, wait);
                held.add(lock);
            }
        } catch (IOException | RuntimeException e) {
            new KubeconfigLock(held).close();
            throw e;
        }
        return new KubeconfigLock(held);
    }

    private static void take(Path lock, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                Files.createFile(lock);
                return;
            } catch (FileAlreadyExistsException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IOException(lock + " exists: kubectl or another karp is editing the kubeconfig;"
                            + " try again, or remove " + lock + " if no such program is running");
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + lock);
                }
            } catch (IOException e) {
                throw new IOException("cannot create the lock file " + lock + ": " + RegularFiles.reason(e)
                        + "; nothing was changed and no backup was left");
            }
        }
    }

    /** Removes the lock files this lock created. */
    @Override
    public void close() {
        for (Path lock : held) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                // A lock file left behind blocks the next edit with a message naming it; nothing else to do here.
            }
        }
    }
}
