package io.tessera.executor.report;

import io.tessera.core.wire.ShardResult;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Results on disk until acknowledged: {@code {dir}/{runId}-{shard}-{attempt}.json}, written to a
 * temporary file and moved into place atomically, so a crash never leaves half a report.
 */
public final class ResultSpool {

    private static final Logger log = LoggerFactory.getLogger(ResultSpool.class);

    private final Path dir;

    public ResultSpool(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + dir, e);
        }
    }

    public Path file(ShardResult result) {
        return dir.resolve(result.runId() + "-" + result.shardIndex() + "-" + result.attempt() + ".json");
    }

    public Path write(SpooledReport report) throws IOException {
        Path target = file(report.result());
        Path temp = Files.createTempFile(dir, ".spool-", ".tmp");
        try {
            Files.write(temp, WireCodec.encode(report));
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
            log.warn("cannot remove the acknowledged report {}: {}", file, e.getMessage());
        }
    }

    /** Everything spooled, oldest first; unreadable files are moved aside as {@code *.bad}. */
    public List<Entry> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            stream.forEach(files::add);
        }
        files.sort((a, b) -> lastModified(a).compareTo(lastModified(b)));
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            try {
                entries.add(new Entry(file, WireCodec.decode(Files.readAllBytes(file), SpooledReport.class)));
            } catch (RuntimeException | IOException e) {
                log.error("spooled report {} is unreadable ({}); moved aside as .bad", file, e.getMessage());
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return entries;
    }

    private static java.nio.file.attribute.FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    public record Entry(Path file, SpooledReport report) {
    }
}
