package io.tessera.executor.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Removes shard logs older than the retention; run periodically by the agent's scheduler. */
public final class LogJanitor implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LogJanitor.class);

    private final Path dir;
    private final Duration retention;
    private final Clock clock;
    private final Predicate<Path> inUse;

    /** @param inUse true for the files of shards still running, which are never removed */
    public LogJanitor(Path dir, Duration retention, Clock clock, Predicate<Path> inUse) {
        this.dir = dir;
        this.retention = retention;
        this.clock = clock;
        this.inUse = inUse;
    }

    /** One sweep; never throws, so that a bad tick does not cancel the schedule. */
    @Override
    public void run() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            log.warn("log sweep of {} failed: {}", dir, e.toString());
        }
    }

    /** @return how many files were removed */
    public int sweep() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(retention);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path file : files) {
                if (!inUse.test(file) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                        && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        if (removed > 0) {
            log.info("removed {} shard log(s) older than {}", removed, retention);
        }
        return removed;
    }
}
