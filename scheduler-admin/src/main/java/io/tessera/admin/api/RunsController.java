package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.wire.LogChunk;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs: list, read with shards, cancel, and read a shard's log from the executor that ran it. */
@RestController
@RequestMapping(path = "/api/v1/runs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "runs")
public class RunsController {

    private static final int MAX_LOG_BYTES = 1024 * 1024;

    private final RunStore runs;
    private final RunService runService;
    private final ExecutorDirectory directory;
    private final ExecutorClient executors;
    private final ApiAudit audit;

    public RunsController(RunStore runs, RunService runService, ExecutorDirectory directory, ExecutorClient executors,
                          ApiAudit audit) {
        this.runs = runs;
        this.runService = runService;
        this.directory = directory;
        this.executors = executors;
        this.audit = audit;
    }

    @Operation(summary = "List runs", description = "newest first, each with its shards; X-Total-Count carries the number of matches")
    @GetMapping
    public ResponseEntity<List<RunJson>> list(@RequestParam(required = false) Long jobId,
                                              @RequestParam(required = false) RunStatus status,
                                              @RequestParam(defaultValue = "0") int offset,
                                              @RequestParam(defaultValue = "50") int limit) {
        JobsController.checkPage(offset, limit);
        List<RunJson> page = runs.list(jobId, status, null, null, offset, limit).stream()
                .map(run -> RunJson.of(run, runs.shards(run.id()))).toList();
        return ResponseEntity.ok().header("X-Total-Count", Long.toString(runs.count(jobId, status, null, null))).body(page);
    }

    @GetMapping("/{id}")
    public RunJson get(@PathVariable long id) {
        return RunJson.of(find(id), runs.shards(id));
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
                               @RequestParam(defaultValue = "65536") int maxBytes) {
        if (offset < 0) {
            throw ApiException.invalid("offset", "must not be negative, was " + offset);
        }
        if (maxBytes < 1 || maxBytes > MAX_LOG_BYTES) {
            throw ApiException.invalid("maxBytes", "must be between 1 and " + MAX_LOG_BYTES + ", was " + maxBytes);
        }
        JobRun run = find(id);
        ShardRun shard = runs.shards(id).stream().filter(s -> s.shardIndex() == index).findFirst()
                .orElseThrow(() -> ApiException.notFound("index", "shard " + index + " of run " + id
                        + " (the run has " + run.shardTotal() + ")"));
        if (shard.executorId() == null) {
            throw ApiException.conflict("index", "shard " + index + " of run " + id + " has not been placed on an executor yet");
        }
        ExecutorCard executor = directory.byId(shard.executorId()).orElseThrow(() -> new ApiException(HttpStatus.GONE, "gone",
                "index", "executor " + shard.executorId() + ", which ran the shard and keeps its log, is not connected"));
        try {
            LogChunk chunk = executors.log(executor.address(), id, index, offset, maxBytes).get(10, TimeUnit.SECONDS);
            return new ApiJson.LogJson(id, index, executor.id(), chunk.offset(), chunk.nextOffset(), chunk.text(), chunk.complete());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", null, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof ExecutorClient.ExecutorCallException call && call.status() == 404) {
                throw ApiException.notFound("index", "the log of shard " + index + " of run " + id + " on executor " + executor.id());
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "executor-unavailable", null, "executor " + executor.id()
                    + " did not return the log: " + cause);
        }
    }

    private JobRun find(long id) {
        return runs.find(id).orElseThrow(() -> ApiException.notFound("id", "run " + id));
    }
}
