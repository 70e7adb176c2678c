package io.tessera.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerFilesTest {

    @Test
    void aLineRoundTripsAndHasTheDocumentedFieldOrder() {
        LedgerEntry e = new LedgerEntry(12, 3, 1, 4_294_967_302L, 1_764_072_000_001_234L, "127.0.0.1-abcd", 7,
                1_764_072_000_000_000L);

        assertThat(e.format()).isEqualTo("12 3 1 4294967302 1764072000001234 127.0.0.1-abcd 7 1764072000000000");
        assertThat(LedgerEntry.parse(e.format())).isEqualTo(e);
        assertThat(e.latenessMicros()).isEqualTo(1234);
    }

    @Test
    void microsRoundTripInstants() {
        Instant t = Instant.parse("2026-11-25T12:00:00.123456Z");
        assertThat(LedgerEntry.instant(LedgerEntry.micros(t))).isEqualTo(t);
    }

    @Test
    void aTornOrForeignLineIsRefused() {
        assertThatThrownBy(() -> LedgerEntry.parse("12 3 1 42 17640")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerEntry.parse("a b c d e f g h")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWriterWritesEveryEntryFromManyThreadsAndTheReaderSkipsATornLastLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.ledger");
        LedgerWriter writer = new LedgerWriter(file, Duration.ofMillis(10));
        IntStream.range(0, 4000).parallel().forEach(i ->
                writer.append(new LedgerEntry(i, i % 3, 1, i, 1_000_000L + i, "exec", 1, 1_000_000L)));
        writer.close();
        Files.writeString(file, "99 0 1 4", java.nio.file.StandardOpenOption.APPEND);

        Ledgers.Read read = Ledgers.read(List.of(file, dir.resolve("absent.ledger")));

        assertThat(read.entries()).hasSize(4000);
        assertThat(read.entries().stream().mapToLong(LedgerEntry::runId).distinct().count()).isEqualTo(4000);
        assertThat(read.badLines()).isEqualTo(1);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo(LedgerEntry.HEADER);
    }
}
