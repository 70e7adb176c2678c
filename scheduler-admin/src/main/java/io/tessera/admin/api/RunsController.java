package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.dispatch.ShardLog;
import io.tessera.admin.dispatch.ShardLogReader;
import io.tessera.admin.dispatch.ShardLogUnavailable;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** Runs: list, read with shards, cancel, and read a shard's log from the executor that ran it. */
@RestController
@RequestMapping(path = "/api/v1/runs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "runs")
public class RunsController {

    private final RunStore runs;
    private final RunService runService;
    private final ShardLogReader logs;
    private final ApiAudit audit;

    public RunsController(RunStore runs, RunService runService, ShardLogReader logs, ApiAudit audit) {
        this.runs = runs;
        this.runService = runService;
        this.logs = logs;
        this.audit = audit;
    }

    @Operation(summary = "List runs", description = "newest first, each with its shards; X-Total-Count carries the number of matches")
    @GetMapping
    public ResponseEntity<List<RunJson>> list(@RequestParam(required = false) Long jobId,
                                              @RequestParam(required = false) RunStatus status,
                                              @RequestParam(defaultValue = "0") int offset,
                                              @RequestParam(defaultValue = "50") int limit) {
        JobsController.checkPage(offset, limit);
        List<JobRun> found = runs.list(jobId, status, null, null, offset, limit);
        List<Long> ids = found.stream().map(JobRun::id).toList();
        Map<Long, List<ShardRun>> shards = runs.shardsOf(ids);
        Map<Long, List<io.tessera.admin.store.RunChange.Preempted>> preempted = runs.preemptionsOf(ids);
        List<RunJson> page = found.stream()
                .map(run -> RunJson.of(run, shards.get(run.id()), preempted.getOrDefault(run.id(), List.of()))).toList();
        return ResponseEntity.ok().header("X-Total-Count", Long.toString(runs.count(jobId, status, null, null))).body(page);
    }

    @GetMapping("/{id}")
    public RunJson get(@PathVariable long id) {
        return RunJson.of(find(id), runs.shards(id), runs.preemptionsOf(List.of(id)).getOrDefault(id, List.of()));
    }

    @Operation(summary = "Cancel a run", description = "stops its running shards; 409 when it has already finished")
    @PostMapping("/{id}/cancel")
    public ApiJson.Cancelled cancel(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal who) {
        JobRun run = find(id);
        if (run.status().isTerminal()) {
            throw ApiException.conflict("id", "run " + id + " has already finished (" + run.status() + ")");
        }
        String reason = "cancelled by " + ApiAudit.actor(who);
        if (!runService.cancel(id, reason)) {
            throw ApiException.conflict("id", "run " + id + " has already finished");
        }
        audit.record(who, "run.cancel", "run:" + id, "job:" + run.jobId());
        return new ApiJson.Cancelled(id, find(id).status());
    }

    @Operation(summary = "Read a shard's log", description = "from the executor that ran the shard; page with offset and nextOffset")
    @GetMapping("/{id}/shards/{index}/log")
    public ApiJson.LogJson log(@PathVariable long id, @PathVariable int index,
                               @RequestParam(defaultValue = "0") long offset,
                               @RequestParam(defaultValue = "" + ShardLogReader.DEFAULT_MAX_BYTES) int maxBytes) {
        try {
            ShardLog log = logs.readNow(id, index, offset, maxBytes);
            return new ApiJson.LogJson(id, index, log.executorId(), log.offset(), log.nextOffset(), log.text(), log.complete());
        } catch (ShardLogUnavailable e) {
            throw problem(e);
        }
    }

    private static ApiException problem(ShardLogUnavailable e) {
        return switch (e.reason()) {
            case INVALID_REQUEST -> ApiException.invalid(e.field(), e.getMessage());
            case NO_SUCH_RUN, NO_SUCH_SHARD, NO_SUCH_LOG -> new ApiException(HttpStatus.NOT_FOUND, "not-found", e.field(), e.getMessage());
            case NOT_PLACED -> ApiException.conflict(e.field(), e.getMessage());
            case EXECUTOR_GONE -> new ApiException(HttpStatus.GONE, "gone", e.field(), e.getMessage());
            case EXECUTOR_FAILED -> new ApiException(HttpStatus.BAD_GATEWAY, "executor-unavailable", null, e.getMessage());
            case INTERRUPTED -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", null, e.getMessage());
        };
    }

    private JobRun find(long id) {
        return runs.find(id).orElseThrow(() -> ApiException.notFound("id", "run " + id));
    }
}
