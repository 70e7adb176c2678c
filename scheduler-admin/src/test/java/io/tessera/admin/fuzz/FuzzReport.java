package io.tessera.admin.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The suite's seeds and summary, also kept in {@code target/fuzz/report.txt}: Surefire sends a test's
 * standard output to {@code target/surefire-reports/<class>-output.txt}, where nobody looks first.
 */
final class FuzzReport {

    static final Path FILE = Path.of("target", "fuzz", "report.txt");

    private FuzzReport() {
    }

    static synchronized void start() {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, "", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath(), e);
        }
    }

    static synchronized void line(String line) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath(), e);
        }
    }
}
