package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new term begins and schedules even when what it reads at its start is bad: a stored job row it
 * cannot read, and an executor card whose address no HTTP client can call, registered the way an
 * agent registers.
 */
class EngineStartTest extends EngineTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CuratorFramework curator;
    @Autowired
    ExecutorDirectory directory;

    @Test
    void aTermBeginsAndSchedulesPastAnUnreadableJobRowAndAnExecutorCardWithABadAddress() throws Exception {
        String group = "start-faults";
        agents.start(agents.config(group), "work", Agents::ok);
        ExecutorCard bad = new ExecutorCard("my_gpu_box-1", group, "my_gpu_box:9999", List.of(), 8, Map.of(), "test");
        String badNode = curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(ZkLayout.memberPrefix(group), WireCodec.encode(bad));
        JobDefinition unreadable = jobService.create(JobDefinition.builder("start-unreadable").group(group).handler("work")
                .schedule(Schedule.fixedRate(1)).build(), "test");
        jdbc.update("UPDATE job SET routing = 'NEAREST' WHERE id = ?", unreadable.id());
        try {
            engine.lost();
            engine.gained();
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.health().status().mode() == EngineHealth.Mode.SCHEDULING);

            JobDefinition ticking = jobService.create(JobDefinition.builder("start-ticking").group(group).handler("work")
                    .schedule(Schedule.fixedRate(1)).build(), "test");
            JobDefinition wide = jobService.create(JobDefinition.builder("start-wide").group(group).handler("work")
                    .shardCount(4).build(), "test");
            JobRun run = runService.trigger(wide.id(), null, null, TriggerKind.API);

            awaitRun(run.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(15));
            assertThat(agents.of(run.id())).hasSize(4).noneMatch(invocation -> invocation.executorId().equals(bad.id()));
            await().atMost(Duration.ofSeconds(15)).until(() -> runStore.list(ticking.id(), null, null, null, 0, 100).stream()
                    .filter(tick -> tick.status() == RunStatus.SUCCEEDED).count() >= 2);
            assertThat(directory.group(group)).extracting(ExecutorCard::id).doesNotContain(bad.id()).hasSize(1);
            jobService.setEnabled(ticking.id(), false, "test");
        } finally {
            curator.delete().forPath(badNode);
            jdbc.update("DELETE FROM job WHERE id = ?", unreadable.id());
        }
    }
}
