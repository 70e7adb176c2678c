package io.tessera.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the ledger files the workers wrote. */
final class Ledgers {

    /** @param badLines lines that are not ledger lines (a worker killed mid-write leaves at most one) */
    record Read(List<LedgerEntry> entries, int badLines) {
    }

    private Ledgers() {
    }

    static Read read(List<Path> files) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        Map<String, String> executorIds = new HashMap<>();
        int bad = 0;
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    try {
                        LedgerEntry e = LedgerEntry.parse(line);
                        // One String per executor, not one per line: a soak's ledger has millions of lines.
                        String id = executorIds.computeIfAbsent(e.executorId(), k -> k);
                        entries.add(id == e.executorId() ? e : new LedgerEntry(e.runId(), e.shard(), e.attempt(),
                                e.fencingToken(), e.startMicros(), id, e.jobId(), e.scheduledAtMicros()));
                    } catch (IllegalArgumentException e) {
                        bad++;
                    }
                }
            }
        }
        return new Read(entries, bad);
    }
}
