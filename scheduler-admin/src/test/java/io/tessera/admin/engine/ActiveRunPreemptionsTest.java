package io.tessera.admin.engine;

import io.tessera.admin.store.RunChange;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new leader takes over of a run's preemptions: earlier attempts use no retry, the current one still stops. */
class ActiveRunPreemptionsTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static RunChange.Preempted preempted(int shard, int attempt) {
        return new RunChange.Preempted(1, shard, attempt, 9, "urgent", "preempted by run 9 of job urgent", T0);
    }

    @Test
    void earlierPreemptedAttemptsAreCountedAndTheCurrentOneIsStillBeingPreempted() {
        JobDefinition job = JobDefinition.builder("victim").id(3L).shardCount(2).build();
        JobRun run = new JobRun(1L, 3, TriggerKind.API, T0, RunStatus.RUNNING, "", 2, 3, T0, T0, null, "");
        ActiveRun active = new ActiveRun(run, job, List.of(
                new ShardRun(1, 0, RunStatus.RUNNING, "e1", 3, List.of(), T0, null, null, ""),
                new ShardRun(1, 1, RunStatus.SUCCEEDED, "e1", 1, List.of(), T0, T0, 0, "")));

        active.countPreemptions(List.of(preempted(0, 1), preempted(0, 2), preempted(0, 3)));

        assertThat(active.shards[0].preemptions).isEqualTo(2);
        assertThat(active.shards[0].preemption).isEqualTo("preempted by run 9 of job urgent");
        assertThat(active.shards[1].preemptions).isZero();
        assertThat(active.shards[1].preemption).isNull();
        assertThat(active.preemptions).as("gang attempts 1 and 2 were preempted; 3 is the current one").isEqualTo(2);
    }
}
