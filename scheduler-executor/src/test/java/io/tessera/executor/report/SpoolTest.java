package io.tessera.executor.report;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.WireCodec;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.ResultReceiver;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SpoolTest {

    @Test
    void spooledResultsSurviveAnAgentRestartAndAreDeliveredOnceTheReceiverIsUp(@TempDir Path dir) throws Exception {
        try (TestingServer zk = new TestingServer(); ResultReceiver admin = new ResultReceiver()) {
            AgentConfig config = Agents.config(zk, dir).adminUrl(admin.baseUrl()).build();
            Path spool = config.spoolDir();

            try (TesseraAgent first = TesseraAgent.start(config, null)) {
                first.handlers().register("work", ctx -> HandlerResult.succeeded("shard " + ctx.shardIndex()));
                for (int shard = 0; shard < 3; shard++) {
                    assertThat(new SignedClient().trigger(first.address(),
                            Agents.trigger(501, 1L, shard, 3, "work", "", List.of(), 0, null, null)).outcome())
                            .isEqualTo(TriggerOutcome.ACCEPTED);
                }
                await().atMost(Agents.PATIENCE).until(() -> spooledResults(spool).size() == 3 && admin.refused() >= 1);
            }
            List<ShardResult> spooledResults = spooledResults(spool);
            assertThat(spooledResults).extracting(ShardResult::status).containsOnly(RunStatus.SUCCEEDED);
            assertThat(spooled(spool)).as("a file per batch, not per result").hasSizeLessThanOrEqualTo(3);
            assertThat(admin.received()).isEmpty();

            admin.up(true);
            try (TesseraAgent second = TesseraAgent.start(config, null)) {
                await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(admin.received()).hasSize(3));
                await().atMost(Agents.PATIENCE).until(() -> spooled(spool).isEmpty());
            }
            assertThat(admin.received()).extracting(ShardResult::shardIndex).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(admin.received()).containsExactlyInAnyOrderElementsOf(spooledResults);
        }
    }

    @Test
    void aTriggerCanNameTheUrlItsResultGoesTo(@TempDir Path dir) throws Exception {
        try (TestingServer zk = new TestingServer(); ResultReceiver admin = new ResultReceiver();
             TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).adminUrl((String) null).build(), null)) {
            admin.up(true);
            agent.handlers().register("work", ctx -> HandlerResult.succeeded());
            var base = Agents.trigger(502, 0, "work", "");
            var trigger = new io.tessera.core.wire.TriggerRequest(base.v(), base.runId(), base.jobId(), base.jobName(),
                    base.handler(), base.params(), base.shardIndex(), base.shardTotal(), base.attempt(), base.devices(),
                    base.timeoutSeconds(), base.blockStrategy(), base.rendezvous(), base.scheduledAt(), base.dispatchedAt(),
                    admin.baseUrl() + io.tessera.core.wire.WirePaths.RESULTS);
            new SignedClient().trigger(agent.address(), trigger);
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(admin.received()).hasSize(1));
            await().atMost(Agents.PATIENCE).until(() -> spooled(agent.config().spoolDir()).isEmpty());
        }
    }

    private static List<ShardResult> spooledResults(Path spool) throws Exception {
        List<ShardResult> results = new java.util.ArrayList<>();
        for (Path file : spooled(spool)) {
            results.addAll(WireCodec.decode(Files.readAllBytes(file), SpooledBatch.class).results());
        }
        return results;
    }

    private static List<Path> spooled(Path spool) throws Exception {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        }
    }
}
