package io.tessera.admin.ui.runs;

import io.tessera.admin.dispatch.ShardLog;
import io.tessera.admin.dispatch.ShardLogReader;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One shard's log held in memory and read the way an executor serves it: a read ends at a line
 * break where it can, a read past the end answers the file's size, and the log is complete once the
 * shard stopped and the read reached its end. Reads answer at once, on the caller's thread.
 */
final class FakeShardLog extends ShardLogReader {

    private final StringBuilder content = new StringBuilder();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean running = true;

    FakeShardLog() {
        super(null, null, null);
    }

    synchronized FakeShardLog write(String text) {
        content.append(text);
        return this;
    }

    /** Replaces the log by a new, shorter one, as a new attempt's file would. */
    synchronized void rewrite(String text) {
        content.setLength(0);
        content.append(text);
    }

    void stop() {
        running = false;
    }

    int reads() {
        return reads.get();
    }

    @Override
    public synchronized CompletableFuture<ShardLog> read(long runId, int shardIndex, long offset, int maxBytes) {
        reads.incrementAndGet();
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        int size = bytes.length;
        if (offset >= size) {
            return CompletableFuture.completedFuture(new ShardLog(runId, shardIndex, "e1", offset, size, "", !running));
        }
        int end = (int) Math.min(size, offset + maxBytes);
        if (end < size) {
            for (int i = end - 1; i >= offset; i--) {
                if (bytes[i] == '\n') {
                    end = i + 1;
                    break;
                }
            }
        }
        String text = new String(bytes, (int) offset, end - (int) offset, StandardCharsets.UTF_8);
        return CompletableFuture.completedFuture(new ShardLog(runId, shardIndex, "e1", offset, end, text,
                !running && end >= size));
    }

    /** Lines {@code line-from} to {@code line-to}, each padded to about {@code width} characters. */
    static String lines(int from, int to, int width) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i <= to; i++) {
            String line = "line-" + i + " ";
            text.append(line).append("x".repeat(Math.max(0, width - line.length() - 1))).append('\n');
        }
        return text.toString();
    }
}
