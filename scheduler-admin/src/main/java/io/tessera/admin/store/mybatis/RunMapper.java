package io.tessera.admin.store.mybatis;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** SQL for {@code job_run} and {@code shard_run}; see RunMapper.xml. */
@Mapper
public interface RunMapper {

    /** One multi-row INSERT; ids are read back by fire key. */
    int insertRuns(@Param("rows") List<RunRow> rows);

    /** One run; its id comes back in the row. */
    int insertRun(RunRow row);

    /**
     * id, job id, scheduled time and trigger of the stored runs with these fire keys, which lie
     * between {@code from} and {@code to}.
     */
    List<RunRow> findByFireKeys(@Param("keys") Collection<RunRow.FireKey> keys, @Param("from") Instant from,
                                @Param("to") Instant to);

    /** job id and key of the stored runs with these idempotency keys. */
    List<RunRow> findByIdempotencyKeys(@Param("keys") Collection<RunRow.IdempotencyKey> keys);

    int insertShards(@Param("rows") List<ShardRow> rows);

    RunRow find(@Param("id") long id);

    RunRow findByIdempotencyKey(@Param("jobId") long jobId, @Param("key") String key);

    List<ShardRow> shards(@Param("runId") long runId);

    /** The shards of these runs, ordered by run id and shard index. */
    List<ShardRow> shardsOf(@Param("runIds") Collection<Long> runIds);

    List<RunRow> listOpen();

    List<RunRow> list(@Param("jobId") Long jobId, @Param("status") String status, @Param("from") Instant from,
                      @Param("to") Instant to, @Param("offset") int offset, @Param("limit") int limit);

    long count(@Param("jobId") Long jobId, @Param("status") String status, @Param("from") Instant from,
               @Param("to") Instant to);

    List<StatusCountRow> countByStatusSince(@Param("since") Instant since);

    /** Runs in these statuses, ordered by scheduled time; one index range per status, each limited. */
    List<RunRow> listByStatuses(@Param("statuses") Collection<String> statuses, @Param("newestFirst") boolean newestFirst,
                                @Param("limit") int limit);

    long countUpTo(@Param("jobId") Long jobId, @Param("status") String status, @Param("from") Instant from,
                   @Param("to") Instant to, @Param("cap") int cap);

    Instant lastScheduledFire(@Param("jobId") long jobId);

    int updateRun(@Param("id") long id, @Param("status") String status, @Param("attempt") int attempt,
                  @Param("startedAt") Instant startedAt, @Param("finishedAt") Instant finishedAt,
                  @Param("message") String message);

    int updateShard(ShardRow row);

    int completeShard(ShardRow row);
}
