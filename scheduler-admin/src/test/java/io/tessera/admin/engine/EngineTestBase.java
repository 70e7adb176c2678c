package io.tessera.admin.engine;

import io.tessera.admin.config.EmbeddedZooKeeper;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * One admin (embedded ZooKeeper, H2) with fast engine timings, shared by the engine tests that
 * extend it; each test uses its own executor group and jobs, and its own agents.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tessera.cluster-secret=" + EngineTestBase.SECRET,
        "tessera.advertised-host=127.0.0.1",
        "tessera.zookeeper.session-timeout=4s",
        "tessera.engine.reconcile-interval=1s",
        "tessera.engine.retry-backoff=200ms",
        "tessera.engine.dispatch-timeout=2s",
        "tessera.engine.finished-run-retention=10m",
        // Quota queues for QuotaEndToEndTest; jobs of other tests name no queue.
        "tessera.quotas.team-a.devices=GPU:2",
        "tessera.quotas.team-b.devices=GPU:2",
        "tessera.quotas.team-c.devices=GPU:1",
        "tessera.quotas.team-c.borrowing=false",
        "logging.level.io.tessera=INFO"})
abstract class EngineTestBase {

    static final String SECRET = "engine-test-cluster-secret-0123456789";

    @DynamicPropertySource
    static void isolated(DynamicPropertyRegistry registry) {
        TestAdmin.isolate(registry);
    }

    @Autowired
    EmbeddedZooKeeper zookeeper;
    @Autowired
    JobService jobService;
    @Autowired
    RunService runService;
    @Autowired
    JobStore jobStore;
    @Autowired
    RunStore runStore;
    @Autowired
    SchedulingEngine engine;

    Agents agents;

    @BeforeEach
    void agents() {
        agents = new Agents(zookeeper.connectString(), SECRET);
        await().atMost(Duration.ofSeconds(20)).until(engine::isLeading);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);
    }

    @AfterEach
    void stopAgents() {
        agents.close();
    }

    JobRun awaitRun(long runId, RunStatus status, Duration within) {
        await().atMost(within).until(() -> runStore.find(runId).map(JobRun::status).orElse(null) == status);
        return runStore.find(runId).orElseThrow();
    }

    List<ShardRun> shards(long runId) {
        return runStore.shards(runId);
    }
}
