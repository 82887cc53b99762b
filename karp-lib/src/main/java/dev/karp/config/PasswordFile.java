package dev.karp.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a password file like UCarp's {@code --passfile} (ucarp-spec §2.1): the first line, with only its
 * {@code \n} removed. A {@code \r} stays part of the password, as in UCarp, so files saved with Windows line
 * endings interoperate with UCarp nodes reading the same file; {@link Line#endsWithCarriageReturn()} lets the
 * caller warn about it.
 */
public final class PasswordFile {
    /** UCarp reads the line with fgets into a 512-byte buffer; anything longer is too long anyway. */
    private static final int MAX_READ = 512;

    private PasswordFile() {
    }

    /** The first line of a password file. */
    public record Line(Password password, boolean endsWithCarriageReturn) {
    }

    /** @throws IOException if the file cannot be read */
    public static Line read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_READ);
        }
        return firstLine(head);
    }

    /** The first line of {@code content}, without its {@code \n}. */
    static Line firstLine(byte[] content) {
        int end = 0;
        while (end < content.length && content[end] != '\n') {
            end++;
        }
        byte[] line = Arrays.copyOf(content, end);
        boolean cr = end > 0 && line[end - 1] == '\r';
        return new Line(Password.of(line), cr);
    }
}
