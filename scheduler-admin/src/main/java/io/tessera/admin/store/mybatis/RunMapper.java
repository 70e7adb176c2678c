package io.tessera.admin.store.mybatis;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** SQL for {@code job_run} and {@code shard_run}; see RunMapper.xml. */
@Mapper
public interface RunMapper {

    /** One run; its id comes back in the row. */
    int insertRun(RunRow row);

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

    /** Per job, its latest scheduled fire: {@code jobId} and {@code scheduledAt} are set. */
    List<RunRow> lastScheduledFires(@Param("jobIds") Collection<Long> jobIds);

    /** id, status and finished_at of these runs. */
    List<RunRow> states(@Param("ids") Collection<Long> ids);
}
