package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.ClusterIdentityStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster identity store, the same on every database: one id however many admins store one at once. */
@SpringBootTest(classes = StoreTestApplication.class)
abstract class ClusterIdentityStoreContract {

    @Autowired
    ClusterIdentityStore identity;
    @Autowired
    RunStore runs;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void noIdentity() {
        jdbc.update("DELETE FROM cluster_identity");
    }

    @Test
    void adminsStoringAnIdTogetherAllGetTheOneStoredFirst() throws Exception {
        ExecutorService admins = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                jdbc.update("DELETE FROM cluster_identity");
                CountDownLatch together = new CountDownLatch(1);
                List<Future<String>> kept = new ArrayList<>();
                for (int admin = 0; admin < 4; admin++) {
                    String mine = "cluster-" + round + "-" + admin;
                    kept.add(admins.submit(() -> {
                        together.await();
                        return identity.keep(mine);
                    }));
                }
                together.countDown();
                List<String> answers = new ArrayList<>();
                for (Future<String> one : kept) {
                    answers.add(one.get(30, TimeUnit.SECONDS));
                }
                String stored = identity.clusterId().orElseThrow();
                assertThat(answers).as("round " + round).containsOnly(stored);
            }
        } finally {
            admins.shutdownNow();
        }
    }

    @Test
    void adoptionReplacesTheStoredId() {
        assertThat(identity.clusterId()).isEmpty();
        identity.replace("adopted-1");
        assertThat(identity.clusterId()).contains("adopted-1");
        identity.replace("adopted-2");
        assertThat(identity.clusterId()).contains("adopted-2");
    }

    @Test
    void runIdsContinueFromTheGivenId() {
        long before = insertRun();
        identity.continueRunIdsFrom(before + 1_000);
        long after = insertRun();
        assertThat(after).isEqualTo(before + 1_000);
        assertThat(identity.highestRunId()).isEqualTo(after);
    }

    private long fire;

    /** A run of a job that need not exist (job_run has no key to job); each at its own fire time. */
    private long insertRun() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(++fire);
        return runs.insertAll(List.of(new RunStore.NewRun(new JobRun(null, 1L, TriggerKind.API, at, RunStatus.PENDING, "", 1, 1,
                at, null, null, ""), null))).get(0).id();
    }
}
