package io.tessera.admin.ui.runs;

import io.tessera.admin.dispatch.ShardLog;
import io.tessera.admin.dispatch.ShardLogReader;

import java.util.concurrent.CompletableFuture;

/**
 * Where a reader of one shard's log (of one attempt: a new attempt gets a new tail) has got to: the offset of the next read, and
 * whether the log is complete. A read that comes back full is followed at once by the next, so that
 * opening a long log catches up in one go rather than one chunk per refresh; what the reads return
 * is cut to the last {@link #KEEP_CHARS} characters, all a log panel keeps.
 *
 * <p>Not thread-safe: call {@link #read} and {@link #advance} under the UI lock; the reads themselves
 * run on the executor client's threads and touch only their own batch.
 */
final class LogTail {

    /** What a log panel keeps: the last 256 Ki characters. */
    static final int KEEP_CHARS = 256 * 1024;
    static final int READ_BYTES = 256 * 1024;
    /** Reads chained in one go; a bigger backlog is read on the next refresh. */
    static final int MAX_CHAINED_READS = 64;

    private final ShardLogReader reader;
    private final long runId;
    private final int shardIndex;
    private long offset;
    private boolean complete;

    LogTail(ShardLogReader reader, long runId, int shardIndex) {
        this.reader = reader;
        this.runId = runId;
        this.shardIndex = shardIndex;
    }

    /**
     * What the log gained since {@link #offset}: one or more chained reads.
     *
     * @param text      the new text, at most {@link #KEEP_CHARS} characters (its end)
     * @param cut       whether the reads returned more than {@code text} holds
     * @param restarted the log is shorter than where this tail had got to (the executor began it anew):
     *                  {@code text} is the log from its start
     */
    record Batch(long from, long nextOffset, String text, boolean cut, boolean complete, boolean restarted) {
    }

    long runId() {
        return runId;
    }

    int shardIndex() {
        return shardIndex;
    }

    boolean complete() {
        return complete;
    }

    /** Reads from the current offset; completes with a {@link Batch}, or fails as {@link ShardLogReader#read} does. */
    CompletableFuture<Batch> read() {
        return readFrom(offset, new StringBuilder(), false, MAX_CHAINED_READS, offset, false);
    }

    /** Moves past a batch this tail read. */
    void advance(Batch batch) {
        offset = batch.nextOffset();
        complete = batch.complete();
    }

    private CompletableFuture<Batch> readFrom(long at, StringBuilder text, boolean cut, int readsLeft, long from,
                                              boolean restarted) {
        return reader.read(runId, shardIndex, at, READ_BYTES).thenCompose(chunk -> {
            if (chunk.nextOffset() < at) {
                // The file is shorter than what was read before: a new log under the same name.
                return restarted ? CompletableFuture.completedFuture(batch(from, chunk, text, cut, true))
                        : readFrom(0, new StringBuilder(), false, readsLeft, 0, true);
            }
            boolean wasCut = append(text, chunk.text()) || cut;
            boolean backlog = !chunk.complete() && chunk.nextOffset() - at >= READ_BYTES / 2;
            if (backlog && readsLeft > 1) {
                return readFrom(chunk.nextOffset(), text, wasCut, readsLeft - 1, from, restarted);
            }
            return CompletableFuture.completedFuture(batch(from, chunk, text, wasCut, restarted));
        });
    }

    private static Batch batch(long from, ShardLog last, StringBuilder text, boolean cut, boolean restarted) {
        return new Batch(from, last.nextOffset(), text.toString(), cut, last.complete(), restarted);
    }

    /** Appends and keeps the last {@link #KEEP_CHARS} characters, from a line start where it can; true if it cut. */
    private static boolean append(StringBuilder text, String more) {
        text.append(more);
        if (text.length() <= KEEP_CHARS) {
            return false;
        }
        int start = text.length() - KEEP_CHARS;
        int lineStart = text.indexOf("\n", start);
        text.delete(0, lineStart >= 0 && lineStart + 1 < text.length() ? lineStart + 1 : start);
        return true;
    }
}
