package io.tessera.executor.report;

import io.tessera.core.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Result batches on disk until acknowledged, one file per batch: {@code {dir}/{millis}-{seq}.json},
 * written to a temporary file and moved into place atomically, so a crash never leaves half a batch.
 */
public final class ResultSpool {

    private static final Logger log = LoggerFactory.getLogger(ResultSpool.class);

    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();

    public ResultSpool(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + dir, e);
        }
    }

    public Path write(SpooledBatch batch) throws IOException {
        Path target = dir.resolve(String.format("%013d-%06d.json", System.currentTimeMillis(),
                sequence.incrementAndGet() % 1_000_000));
        Path temp = Files.createTempFile(dir, ".spool-", ".tmp");
        try {
            Files.write(temp, WireCodec.encode(batch));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove the acknowledged batch {}: {}", file, e.getMessage());
        }
    }

    /** Everything spooled, oldest first; unreadable files are moved aside as {@code *.bad}. */
    public List<Entry> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparing(ResultSpool::lastModified).thenComparing(Path::getFileName));
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            try {
                SpooledBatch batch = WireCodec.decode(Files.readAllBytes(file), SpooledBatch.class);
                if (batch.results().isEmpty()) {
                    throw new IllegalArgumentException("it holds no results (a file of an older agent?)");
                }
                entries.add(new Entry(file, batch));
            } catch (RuntimeException | IOException e) {
                log.error("spooled batch {} is unreadable ({}); moved aside as .bad", file, e.getMessage());
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return entries;
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            log.warn("cannot read the time of spooled batch {} ({}); sending it first", file, e.getMessage());
            return FileTime.fromMillis(0);
        }
    }

    public record Entry(Path file, SpooledBatch batch) {
    }
}
