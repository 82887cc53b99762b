package dev.karp.kube;

import dev.karp.files.RegularFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;

/**
 * Writes users' files the way they would: a timestamped backup beside the file, then the new content in a
 * temporary file in the same directory, flushed and renamed over the old one, so a crash leaves either the
 * old or the new file, never half of one. Mode and owner of the old file are kept (kubeconfigs are 0600).
 */
public final class AtomicFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final Clock clock;

    public AtomicFiles(Clock clock) {
        this.clock = clock;
    }

    /** What {@link #replace} did: the file written (symlinks followed) and the backup, if there was an old file. */
    public record Written(Path file, Optional<Path> backup) {
    }

    /**
     * Replaces {@code target} with {@code content}: backup first (if the file exists), then an atomic rename.
     * A symlink is followed, so the link stays a link.
     */
    public Written replace(Path target, String content) throws IOException {
        Path file = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
        Optional<Path> backup = Optional.empty();
        if (Files.exists(file)) {
            // Renaming over a device or FIFO would replace it with a regular file.
            RegularFiles.check(file, Long.MAX_VALUE);
            try {
                backup = Optional.of(backup(file));
            } catch (IOException e) {
                throw new WriteException("cannot write a backup of " + file + ": " + RegularFiles.reason(e)
                        + "; " + file + " is unchanged and no backup was left");
            }
        }
        try {
            writeAtomically(file, content);
        } catch (IOException e) {
            throw new WriteException("cannot write " + file + ": " + RegularFiles.reason(e) + "; " + file
                    + " is unchanged" + backupLeft(backup));
        }
        return new Written(file, backup);
    }

    /** A write that failed, in one line that says what is left: the file unchanged, and whether a backup remains. */
    public static final class WriteException extends IOException {
        WriteException(String message) {
            super(message);
        }
    }

    /** The old file is still there, so its backup is only clutter: removed if possible, else named. */
    private static String backupLeft(Optional<Path> backup) {
        if (backup.isEmpty()) {
            return " and no backup was left";
        }
        try {
            Files.deleteIfExists(backup.get());
            return " and no backup was left";
        } catch (IOException e) {
            return "; a backup was left at " + backup.get();
        }
    }

    private Path backup(Path file) throws IOException {
        String base = file.getFileName() + ".karp-" + LocalDateTime.now(clock).format(STAMP);
        Path backup = file.resolveSibling(base + ".bak");
        for (int i = 1; Files.exists(backup, LinkOption.NOFOLLOW_LINKS); i++) {
            backup = file.resolveSibling(base + "-" + i + ".bak");
        }
        Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        return backup;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".karp-tmp");
        try {
            copyOwnerAndMode(file, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(content));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (!Files.exists(from)) {
            view.setPermissions(NEW_FILE_MODE);
            return;
        }
        PosixFileAttributes old = Files.readAttributes(from, PosixFileAttributes.class);
        view.setPermissions(old.permissions());
        try {
            view.setOwner(old.owner());
            view.setGroup(old.group());
        } catch (IOException | SecurityException e) {
            // Only root may give a file away; a user editing their own file keeps their own ownership anyway.
        }
    }
}
