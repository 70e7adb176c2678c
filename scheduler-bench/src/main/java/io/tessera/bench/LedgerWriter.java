package io.tessera.bench;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker's ledger file. Handlers only enqueue an entry (no lock, no I/O on their thread); one
 * thread formats and writes what is queued every {@code flushEvery}, and {@link #close()} writes
 * the rest. Lines reach the file in whole lines, so a reader sees at most a torn last line.
 */
final class LedgerWriter implements Closeable {

    private final ConcurrentLinkedQueue<LedgerEntry> pending = new ConcurrentLinkedQueue<>();
    private final BufferedWriter out;
    private final ScheduledExecutorService flusher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOException failure;

    LedgerWriter(Path file, Duration flushEvery) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        out.write(LedgerEntry.HEADER);
        out.newLine();
        out.flush();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-flush");
            t.setDaemon(true);
            return t;
        });
        long millis = flushEvery.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    void append(LedgerEntry entry) {
        pending.add(entry);
    }

    /** Writes and flushes everything queued so far. */
    synchronized void flush() throws IOException {
        if (failure != null) {
            throw failure;
        }
        boolean wrote = false;
        for (LedgerEntry e = pending.poll(); e != null; e = pending.poll()) {
            out.write(e.format());
            out.newLine();
            wrote = true;
        }
        if (wrote) {
            out.flush();
        }
    }

    /** The first write error, or null. */
    IOException failure() {
        return failure;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
                System.err.println("ledger: cannot write, the measurement is void: " + e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                flush();
            } finally {
                out.close();
            }
        }
    }
}
