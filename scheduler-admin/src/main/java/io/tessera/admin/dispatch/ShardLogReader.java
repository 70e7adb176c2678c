package io.tessera.admin.dispatch;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.ShardRun;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a shard's log from the executor that ran it: executors keep their shards' logs on their own
 * disks and the admin stores none. The API and the UI both read logs through this class.
 */
@Component
public class ShardLogReader {

    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    public static final int MAX_BYTES = 1024 * 1024;
    /** How long {@link #readNow} waits for the executor. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private final RunStore runs;
    private final ExecutorDirectory directory;
    private final ExecutorClient executors;

    public ShardLogReader(RunStore runs, ExecutorDirectory directory, ExecutorClient executors) {
        this.runs = runs;
        this.directory = directory;
        this.executors = executors;
    }

    /**
     * Reads up to {@code maxBytes} of the log from {@code offset} without blocking on the executor.
     * Every failure, including a bad request, completes the future with a {@link ShardLogUnavailable}.
     */
    public CompletableFuture<ShardLog> read(long runId, int shardIndex, long offset, int maxBytes) {
        ExecutorCard executor;
        try {
            executor = locate(runId, shardIndex, offset, maxBytes);
        } catch (ShardLogUnavailable e) {
            return CompletableFuture.failedFuture(e);
        }
        return fetch(executor, runId, shardIndex, offset, maxBytes);
    }

    /**
     * {@link #read}, waiting up to 10 s for the executor: for request threads.
     *
     * @throws ShardLogUnavailable for every failure
     */
    public ShardLog readNow(long runId, int shardIndex, long offset, int maxBytes) {
        ExecutorCard executor = locate(runId, shardIndex, offset, maxBytes);
        CompletableFuture<ShardLog> reading = fetch(executor, runId, shardIndex, offset, maxBytes);
        try {
            return reading.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading.cancel(true);
            throw new ShardLogUnavailable(ShardLogUnavailable.Reason.INTERRUPTED, null, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            throw cause instanceof ShardLogUnavailable unavailable ? unavailable : unavailable(runId, shardIndex, executor, cause);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw unavailable(runId, shardIndex, executor, e);
        }
    }

    private CompletableFuture<ShardLog> fetch(ExecutorCard executor, long runId, int shardIndex, long offset, int maxBytes) {
        return executors.log(executor.address(), runId, shardIndex, offset, maxBytes)
                .handle((chunk, failure) -> {
                    if (failure != null) {
                        throw unavailable(runId, shardIndex, executor, unwrap(failure));
                    }
                    return new ShardLog(runId, shardIndex, executor.id(), chunk.offset(), chunk.nextOffset(),
                            chunk.text(), chunk.complete());
                });
    }

    private ExecutorCard locate(long runId, int shardIndex, long offset, int maxBytes) {
        if (offset < 0) {
            throw new ShardLogUnavailable(ShardLogUnavailable.Reason.INVALID_REQUEST, "offset",
                    "must not be negative, was " + offset);
        }
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new ShardLogUnavailable(ShardLogUnavailable.Reason.INVALID_REQUEST, "maxBytes",
                    "must be between 1 and " + MAX_BYTES + ", was " + maxBytes);
        }
        JobRun run = runs.find(runId).orElseThrow(() -> new ShardLogUnavailable(ShardLogUnavailable.Reason.NO_SUCH_RUN,
                "id", "run " + runId + " does not exist"));
        ShardRun shard = runs.shards(runId).stream().filter(s -> s.shardIndex() == shardIndex).findFirst()
                .orElseThrow(() -> new ShardLogUnavailable(ShardLogUnavailable.Reason.NO_SUCH_SHARD, "index",
                        "shard " + shardIndex + " of run " + runId + " (the run has " + run.shardTotal() + ") does not exist"));
        if (shard.executorId() == null) {
            throw new ShardLogUnavailable(ShardLogUnavailable.Reason.NOT_PLACED, "index",
                    "shard " + shardIndex + " of run " + runId + " has not been placed on an executor yet");
        }
        return directory.byId(shard.executorId()).orElseThrow(() -> new ShardLogUnavailable(
                ShardLogUnavailable.Reason.EXECUTOR_GONE, "index", "executor " + shard.executorId()
                + ", which ran the shard and keeps its log, is not connected"));
    }

    private static ShardLogUnavailable unavailable(long runId, int shardIndex, ExecutorCard executor, Throwable cause) {
        if (cause instanceof ExecutorClient.ExecutorCallException call && call.status() == 404) {
            return new ShardLogUnavailable(ShardLogUnavailable.Reason.NO_SUCH_LOG, "index", "the log of shard "
                    + shardIndex + " of run " + runId + " on executor " + executor.id() + " does not exist", cause);
        }
        return new ShardLogUnavailable(ShardLogUnavailable.Reason.EXECUTOR_FAILED, null,
                "executor " + executor.id() + " did not return the log: " + cause, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
