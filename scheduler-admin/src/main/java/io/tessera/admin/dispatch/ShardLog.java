package io.tessera.admin.dispatch;

/**
 * Part of a shard's log, as the executor that ran the shard returned it.
 *
 * @param offset     where this part starts in the log file
 * @param nextOffset where the next read starts
 * @param complete   the shard has finished and this part reaches the end of its log
 */
public record ShardLog(long runId, int shardIndex, String executorId, long offset, long nextOffset, String text,
                       boolean complete) {
}
