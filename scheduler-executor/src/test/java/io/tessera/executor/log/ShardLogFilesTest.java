package io.tessera.executor.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ShardLogFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsFromAnOffsetAndStopsAtALineBreak() throws Exception {
        ShardLogFiles files = new ShardLogFiles(dir);
        Path file = files.file(1, 2, 1);
        Files.writeString(file, "first line\nsecond line\nthird");
        ShardLogFiles.Chunk head = ShardLogFiles.read(file, 0, 15);
        assertThat(head.text()).isEqualTo("first line\n");
        ShardLogFiles.Chunk rest = ShardLogFiles.read(file, head.nextOffset(), 1000);
        assertThat(rest.text()).isEqualTo("second line\nthird");
        assertThat(rest.nextOffset()).isEqualTo(rest.size());
        assertThat(ShardLogFiles.read(file, 1000, 10).text()).isEmpty();
    }

    @Test
    void findsTheLatestAttempt() throws Exception {
        ShardLogFiles files = new ShardLogFiles(dir);
        Files.writeString(files.file(7, 1, 1), "a");
        Files.writeString(files.file(7, 1, 10), "b");
        Files.writeString(files.file(7, 11, 99), "other shard");
        assertThat(files.latest(7, 1)).contains(files.file(7, 1, 10));
        assertThat(files.latest(7, 2)).isEmpty();
    }

    @Test
    void theJanitorRemovesOnlyOldLogsOfFinishedShards() throws Exception {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        ShardLogFiles files = new ShardLogFiles(dir);
        Path old = files.file(1, 0, 1);
        Path oldButRunning = files.file(2, 0, 1);
        Path fresh = files.file(3, 0, 1);
        for (Path file : new Path[] {old, oldButRunning, fresh}) {
            Files.writeString(file, "x");
        }
        Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofDays(8))));
        Files.setLastModifiedTime(oldButRunning, FileTime.from(now.minus(Duration.ofDays(8))));
        Files.setLastModifiedTime(fresh, FileTime.from(now.minus(Duration.ofDays(6))));

        LogJanitor janitor = new LogJanitor(dir, Duration.ofDays(7), Clock.fixed(now, ZoneOffset.UTC), oldButRunning::equals);
        assertThat(janitor.sweep()).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(oldButRunning).exists();
        assertThat(fresh).exists();
    }

    @Test
    void aShardLogWritesFormattedLines() throws Exception {
        Path file = dir.resolve("logs/9-0-1.log");
        try (FileShardLog log = new FileShardLog(file, Clock.systemUTC())) {
            log.info("hello {} of {}", 1, 2);
            log.error("failed", new IllegalStateException("boom"));
        }
        String text = Files.readString(file);
        assertThat(text).contains("hello 1 of 2\n").contains("failed").contains("IllegalStateException: boom");
    }

    @Test
    void aShardLogMakesItsFileOnlyWhenTheHandlerWritesAndThenStartsWithTheHeader() throws Exception {
        Path silent = dir.resolve("logs/9-0-2.log");
        try (FileShardLog log = new FileShardLog(silent, Clock.systemUTC(), () -> "shard 0/1 of run 9")) {
            log.infoIfOpen("shard finished: {}", "SUCCEEDED");
            assertThat(log.isOpen()).isFalse();
        }
        assertThat(silent).doesNotExist();

        Path written = dir.resolve("logs/9-1-2.log");
        try (FileShardLog log = new FileShardLog(written, Clock.systemUTC(), () -> "shard 1/2 of run 9")) {
            assertThat(written).doesNotExist();
            log.info("working");
            log.infoIfOpen("shard finished: {}", "SUCCEEDED");
        }
        assertThat(Files.readAllLines(written)).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).endsWith("] shard 1/2 of run 9");
            assertThat(lines.get(1)).endsWith("] working");
            assertThat(lines.get(2)).endsWith("] shard finished: SUCCEEDED");
        });
    }

    @Test
    void askingForTheFileMakesItWithTheHeaderAtOnce() throws Exception {
        Path file = dir.resolve("logs/9-2-1.log");
        try (FileShardLog log = new FileShardLog(file, Clock.systemUTC(), () -> "header")) {
            assertThat(log.open()).isEqualTo(file);
            assertThat(Files.readString(file)).endsWith("] header\n");
            Files.writeString(file, "child process output\n", java.nio.file.StandardOpenOption.APPEND);
            log.info("after");
        }
        assertThat(Files.readAllLines(file)).hasSize(3).element(1).isEqualTo("child process output");
    }
}
