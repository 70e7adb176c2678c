package io.tessera.admin.demo;

import io.tessera.admin.config.OperatorConsole;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.engine.JobService;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.Role;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The zero-setup demo ({@code --demo}): once the admin serves, starts an executor agent in this
 * process (two declared H100s, the command handler allowed), creates the sample jobs if they do not
 * exist, fires the GPU ones once, and prints how to try the API. The only part of the admin that
 * touches the executor module.
 */
public final class DemoLauncher implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(DemoLauncher.class);

    static final String ACTOR = "demo";
    static final String TOKEN_NAME = "demo";
    static final String GROUP = "default";
    static final String DEVICES = "GPU:nvidia:H100:81559:2";

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final TesseraProperties properties;
    private final String secret;
    private final String zookeeper;
    private final ApiTokenStore tokens;
    private final JobStore jobs;
    private final JobService jobService;
    private final RunService runService;
    private volatile TesseraAgent agent;

    public DemoLauncher(TesseraProperties properties, String secret, String zookeeper, ApiTokenStore tokens, JobStore jobs,
                        JobService jobService, RunService runService) {
        this.properties = properties;
        this.secret = secret;
        this.zookeeper = zookeeper;
        this.tokens = tokens;
        this.jobs = jobs;
        this.jobService = jobService;
        this.runService = runService;
    }

    /** The sample jobs, by name. */
    static List<JobDefinition> sampleJobs() {
        return List.of(
                JobDefinition.builder("demo-hello")
                        .group(GROUP)
                        .schedule(Schedule.cron("*/10 * * * * ?", ZoneId.of("UTC")))
                        .handler(JobDefinition.COMMAND_HANDLER)
                        .params("echo hello from tessera")
                        .build(),
                JobDefinition.builder("demo-inference")
                        .group(GROUP)
                        .handler(JobDefinition.COMMAND_HANDLER)
                        .params("sh -c 'echo shard $TESSERA_SHARD_INDEX of $TESSERA_SHARD_TOTAL on CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES; sleep 2'")
                        .shardCount(4)
                        .accelerators(AcceleratorRequirement.of("GPU", 1))
                        .build(),
                JobDefinition.builder("demo-training")
                        .group(GROUP)
                        .handler(JobDefinition.COMMAND_HANDLER)
                        .params("sh -c 'echo RANK=$RANK WORLD_SIZE=$WORLD_SIZE MASTER_ADDR=$MASTER_ADDR MASTER_PORT=$MASTER_PORT CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES; sleep 3'")
                        .shardCount(2)
                        .gang(true)
                        .accelerators(AcceleratorRequirement.of("GPU", 1))
                        .build());
    }

    /** @param port the admin's HTTP port, for the printed examples */
    public void start(int port) {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            return;
        }
        String token = demoToken();
        try {
            agent = new TesseraAgent(AgentConfig.builder()
                    .zookeeper(zookeeper)
                    .namespace(properties.zookeeper().namespace())
                    .secret(secret)
                    .zookeeperAuth(properties.zookeeper().auth())
                    .group(GROUP)
                    .advertisedHost("127.0.0.1")
                    .bindHost("127.0.0.1")
                    .port(0)
                    .dataDir(properties.dataDir().resolve("demo-agent"))
                    .detectDevices(false)
                    .accelerator(DEVICES)
                    .allowCommand(true)
                    .slots(8)
                    .executorId("demo-agent")
                    .build(), null);
            agent.start();
        } catch (Exception e) {
            log.error("Demo: the in-process executor agent did not start ({}); the admin runs without it", e.toString(), e);
            return;
        }
        StringBuilder created = new StringBuilder();
        for (JobDefinition job : sampleJobs()) {
            Optional<JobDefinition> existing = jobs.findByName(job.name());
            JobDefinition stored;
            if (existing.isPresent()) {
                stored = existing.get();
            } else {
                try {
                    stored = jobService.create(job, ACTOR);
                } catch (DuplicateKeyException e) {
                    stored = jobs.findByName(job.name()).orElseThrow();
                }
            }
            created.append(String.format("%n    %-15s id %-4d %s", stored.name(), stored.id(), describe(stored)));
            if (stored.schedule().type() == io.tessera.core.schedule.ScheduleType.NONE) {
                runService.trigger(stored.id(), null, null, TriggerKind.MANUAL);
            }
        }
        String base = "http://localhost:" + port;
        long inference = jobs.findByName("demo-inference").map(JobDefinition::id).orElse(0L);
        log.info("Demo: running; how to try it, with its API token, is shown on the console");
        OperatorConsole.show("""

                ==================================================================================
                 Tessera demo is running
                   UI         %s/   (user '%s': password shown above at the first start, or tessera.ui.admin-password)
                   admin      %s   (health %s/actuator/health, its details with the token; API docs %s/swagger-ui.html)
                   executor   %s in group '%s' with two declared GPUs (%s), command handler on
                   jobs:%s
                 Try it (API token below%s):
                   export TOKEN=%s
                   curl -s -H "Authorization: Bearer $TOKEN" %s/api/v1/jobs
                   curl -s -H "Authorization: Bearer $TOKEN" '%s/api/v1/runs?limit=5'
                   curl -s -X POST -H "Authorization: Bearer $TOKEN" %s/api/v1/jobs/%s/trigger
                   curl -s -H "Authorization: Bearer $TOKEN" %s/api/v1/executors
                ==================================================================================""".formatted(
                base, properties.ui().adminUser(), base, base, base, agent.executorId(), GROUP, DEVICES, created,
                token.startsWith("<") ? "" : ", shown once", token, base, base, base, inference, base));
    }

    private String demoToken() {
        if (properties.api().bootstrapToken() != null) {
            return "<your tessera.api.bootstrap-token>";
        }
        tokens.revokeByName(TOKEN_NAME);
        String token = ApiTokenStore.generate();
        tokens.create(TOKEN_NAME, token, Role.ADMIN, ACTOR);
        return token;
    }

    private static String describe(JobDefinition job) {
        String when = job.schedule().type() == io.tessera.core.schedule.ScheduleType.NONE ? "manual (fired once now)"
                : job.schedule().toString();
        return when + ", " + job.shardCount() + " shard(s)" + (job.accelerators() == null ? "" : " x " + job.accelerators())
                + (job.gang() ? ", gang" : "");
    }

    /** The in-process agent, once started. */
    public Optional<TesseraAgent> agent() {
        return Optional.ofNullable(agent);
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED && agent != null) {
            agent.close();
        }
    }
}
