package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.engine.CommandJobPolicy;
import io.tessera.admin.engine.JobService;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.UnreadableJob;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.validation.ValidationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Jobs: create, read, change, pause, resume, delete and trigger. A job that uses the {@code command}
 * handler runs arbitrary commands on executors, so creating, changing or deleting one, or triggering
 * one with other params than its own, needs the ADMIN role ({@link CommandJobPolicy}, which the UI
 * asks too; a refusal is a 403 naming {@code handler}).
 */
@RestController
@RequestMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs")
public class JobsController {

    static final int MAX_LIMIT = 1000;
    static final String UNREADABLE_HEADER = "X-Unreadable-Jobs";
    private static final int MAX_IDEMPOTENCY_KEY = 128;

    private final JobService jobService;
    private final RunService runService;
    private final JobStore jobs;
    private final ApiAudit audit;
    private final long maxParamsBytes;

    public JobsController(JobService jobService, RunService runService, JobStore jobs, ApiAudit audit,
                          TesseraProperties properties) {
        this.jobService = jobService;
        this.runService = runService;
        this.jobs = jobs;
        this.audit = audit;
        this.maxParamsBytes = properties.api().maxParamsBytes().toBytes();
    }

    @Operation(summary = "Create a job", description = "201 with the stored job and its id; 409 when the name is taken")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<JobJson> create(@RequestBody JobJson body, @AuthenticationPrincipal ApiPrincipal who) {
        JobDefinition job = body.toDefinition(null);
        CommandJobPolicy.checkCreate(job, who.role());
        JobDefinition stored = jobService.create(job, ApiAudit.actor(who));
        return ResponseEntity.created(URI.create("/api/v1/jobs/" + stored.id())).body(JobJson.of(stored));
    }

    @Operation(summary = "List jobs", description = "ordered by id; X-Total-Count carries the number of matches."
            + " A stored job this admin cannot read is left out of the page and named in X-Unreadable-Jobs (its ids,"
            + " comma-separated); GET /api/v1/jobs/{id} says what is wrong with it, and DELETE removes it")
    @GetMapping
    public ResponseEntity<List<JobJson>> list(@RequestParam(required = false) String name,
                                              @RequestParam(defaultValue = "0") int offset,
                                              @RequestParam(defaultValue = "100") int limit) {
        checkPage(offset, limit);
        List<JobJson> page = jobs.list(name, offset, limit).stream().map(JobJson::of).toList();
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().header("X-Total-Count", Long.toString(jobs.count(name)));
        List<UnreadableJob> unreadable = page.size() < limit ? jobs.unreadable(name, offset, limit) : List.of();
        if (!unreadable.isEmpty()) {
            answer.header(UNREADABLE_HEADER, unreadable.stream().map(job -> Long.toString(job.id()))
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        return answer.body(page);
    }

    @GetMapping("/{id}")
    public JobJson get(@PathVariable long id) {
        return JobJson.of(find(id));
    }

    @Operation(summary = "Replace a job", description = "fields left out take their defaults, as on create")
    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public JobJson update(@PathVariable long id, @RequestBody JobJson body, @AuthenticationPrincipal ApiPrincipal who) {
        JobDefinition existing = find(id);
        JobDefinition job = body.toDefinition(id);
        CommandJobPolicy.checkUpdate(existing, job, who.role());
        return JobJson.of(jobService.update(job, ApiAudit.actor(who)).orElseThrow(() -> ApiException.notFound("id", "job " + id)));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal who) {
        Optional<JobDefinition> job = jobs.find(id);
        if (job.isPresent()) {
            CommandJobPolicy.checkDelete(job.get(), who.role());
        } else if (jobs.unreadable(id).isPresent()) {
            CommandJobPolicy.checkDeleteUnreadable(who.role());
        }
        if (!jobService.delete(id, ApiAudit.actor(who))) {
            throw ApiException.notFound("id", "job " + id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/pause")
    public JobJson pause(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal who) {
        return setEnabled(id, false, who);
    }

    @PostMapping("/{id}/resume")
    public JobJson resume(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal who) {
        return setEnabled(id, true, who);
    }

    @Operation(summary = "Trigger a run now",
            description = "202 with the run's id. With an Idempotency-Key header, the same key for the same job never"
                    + " fires twice: a repeat answers the first run's id. Overriding params of a 'command' job needs ADMIN.")
    @PostMapping("/{id}/trigger")
    public ResponseEntity<ApiJson.Triggered> trigger(@PathVariable long id,
                                                     @RequestBody(required = false) ApiJson.TriggerBody body,
                                                     @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                                     @AuthenticationPrincipal ApiPrincipal who) {
        String params = body == null ? null : body.params();
        if (params != null && params.getBytes(StandardCharsets.UTF_8).length > maxParamsBytes) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "params",
                    "params are longer than " + maxParamsBytes + " bytes (tessera.api.max-params-bytes)");
        }
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        if (params != null) {
            CommandJobPolicy.checkTrigger(find(id), params, who.role());
        }
        JobRun run = runService.trigger(id, params, key, TriggerKind.API);
        audit.record(who, "run.trigger", "job:" + id, "run:" + run.id() + (key == null ? "" : " idempotency-key=" + key)
                + (params == null ? "" : " with params"));
        return ResponseEntity.accepted().location(URI.create("/api/v1/runs/" + run.id()))
                .body(new ApiJson.Triggered(run.id(), id, run.status()));
    }

    private JobJson setEnabled(long id, boolean enabled, ApiPrincipal who) {
        if (!jobService.setEnabled(id, enabled, ApiAudit.actor(who))) {
            throw ApiException.notFound("id", "job " + id);
        }
        return JobJson.of(find(id));
    }

    private JobDefinition find(long id) {
        return jobs.find(id).orElseThrow(() -> jobs.unreadable(id)
                .map(broken -> ApiException.conflict("id", "job " + id + " ('" + broken.name() + "') is stored in a form"
                        + " this admin cannot read: " + broken.reason() + ". Delete it and create it again"))
                .orElseGet(() -> ApiException.notFound("id", "job " + id)));
    }

    static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw new ValidationException("offset", "must not be negative, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }
}
