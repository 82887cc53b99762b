package dev.karp.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads and checks the files karp takes from users (configuration, password, files it edits): only regular
 * files, after following links, and only up to a size. A device or a FIFO given by mistake (or by someone
 * hoping karp will write to it) is refused before it is opened: opening a FIFO would block, reading
 * {@code /dev/zero} would never end, and replacing {@code /dev/null} would turn the device into a file.
 */
public final class RegularFiles {
    private RegularFiles() {
    }

    /** The file is not one karp will read or replace; the message is the reason, without the path. */
    public static final class RefusedException extends IOException {
        public RefusedException(String reason) {
            super(reason);
        }
    }

    /**
     * Checks that {@code file} (links followed) is a regular file of at most {@code maxBytes}.
     *
     * @throws RefusedException       "is a FIFO, not a regular file" or "is larger than 1 MiB (52428800 bytes)"
     * @throws NoSuchFileException    if it does not exist
     * @throws IOException            if its attributes cannot be read
     */
    public static void check(Path file, long maxBytes) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new RefusedException("is " + kind(file, a) + ", not a regular file");
        }
        if (a.size() > maxBytes) {
            throw new RefusedException(tooLarge(maxBytes, a.size() + " bytes"));
        }
    }

    /**
     * Reads {@code file} after {@link #check}; a file that grows past {@code maxBytes} while being read is
     * refused too.
     */
    public static byte[] read(Path file, long maxBytes) throws IOException {
        check(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (data.length > maxBytes) {
                throw new RefusedException(tooLarge(maxBytes, "more than that"));
            }
            return data;
        }
    }

    /** A short reason for a file error, without Java's exception names: "no such file", "read-only file system". */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT).startsWith("read-only")
                    ? "read-only file system" : f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String tooLarge(long max, String size) {
        return "is larger than the " + human(max) + " karp reads (" + size + ")";
    }

    private static String human(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    private static String kind(Path file, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        // Files reports devices, FIFOs and sockets all as "other"; the unix view's mode tells them apart.
        int type;
        try {
            type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
        return switch (type) {
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0010000 -> "a FIFO";
            case 0140000 -> "a socket";
            default -> "a special file";
        };
    }
}
