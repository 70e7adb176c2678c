package io.tessera.executor.report;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.ResultReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Results that finish together travel together: one spool file and one signed POST per burst, over real HTTP. */
class ResultBatcherTest {

    @TempDir
    Path spoolDir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService http = Executors.newFixedThreadPool(2);
    private final ExecutorService drainer = Executors.newSingleThreadExecutor();
    /** Holds the drainer, as a batch being spooled would, while the test queues a burst behind it. */
    private final CountDownLatch drainerBusy = new CountDownLatch(1);
    private ResultSpool spool;

    @BeforeEach
    void occupyTheDrainer() {
        spool = new ResultSpool(spoolDir);
        drainer.execute(() -> {
            try {
                drainerBusy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void stop() {
        drainerBusy.countDown();
        for (ExecutorService pool : List.of(scheduler, http, drainer)) {
            pool.shutdownNow();
        }
    }

    private ResultBatcher batcher(URI adminUrl) {
        return batcher(adminUrl, ResultBatch.DEFAULT_MAX_BYTES);
    }

    private ResultBatcher batcher(URI adminUrl, int maxBatchBytes) {
        ReportDispatcher dispatcher = new ReportDispatcher(spool, new HttpResultReporter(new RequestSigner(Agents.SECRET),
                Duration.ofSeconds(5), http), adminUrl, scheduler, Duration.ofMillis(20), Duration.ofMillis(100), List::of,
                maxBatchBytes);
        return new ResultBatcher(dispatcher, drainer);
    }

    @Test
    void aBurstLargerThanTheAdminsLimitArrivesAsSeveralAcceptedReportsWithNothingLost() throws Exception {
        int limit = 64 * 1024;
        try (ResultReceiver admin = new ResultReceiver(limit)) {
            admin.up(true);
            ResultBatcher batcher = batcher(URI.create(admin.baseUrl()), limit);
            String message = "exit 1: " + "x".repeat(600);
            for (int shard = 0; shard < 800; shard++) {
                batcher.submit(result(904, shard, message), null);
            }
            batcher.submit(result(904, 800, "é".repeat(200_000)), null);
            drainerBusy.countDown();

            await().atMost(Agents.PATIENCE).until(() -> admin.received().size() == 801);
            await().atMost(Agents.PATIENCE).until(() -> spool.list().isEmpty());
            assertThat(admin.tooLarge()).as("no report over the limit was sent").isZero();
            assertThat(admin.bodySizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(limit));
            assertThat(admin.batches()).as("800 results of 700 bytes make more than eight 64 KiB reports").hasSizeGreaterThan(8);
            assertThat(admin.received()).extracting(ShardResult::shardIndex).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(0, 800).boxed().toList());
            assertThat(admin.received()).filteredOn(result -> result.shardIndex() < 800)
                    .allSatisfy(result -> assertThat(result.message()).isEqualTo(message));
            assertThat(admin.received()).filteredOn(result -> result.shardIndex() == 800).singleElement()
                    .satisfies(huge -> assertThat(huge.message()).startsWith("éééé").endsWith(ResultBatchSplitter.CUT_MARK));
            batcher.close();
        }
    }

    @Test
    void aBurstIsSpooledAsOneFileSentAsOnePostAndTheFileGoesOnlyWithTheAck() throws Exception {
        try (ResultReceiver admin = new ResultReceiver()) {
            ResultBatcher batcher = batcher(URI.create(admin.baseUrl()));
            for (int shard = 0; shard < 300; shard++) {
                batcher.submit(result(900, shard), null);
            }
            drainerBusy.countDown();

            await().atMost(Agents.PATIENCE).until(() -> admin.refused() >= 2);
            assertThat(spool.list()).as("one file while the admin is down").singleElement()
                    .satisfies(entry -> assertThat(entry.batch().results()).hasSize(300));

            admin.up(true);
            await().atMost(Agents.PATIENCE).until(() -> spool.list().isEmpty());
            assertThat(admin.batches()).as("one POST stored the whole burst").singleElement()
                    .satisfies(batch -> assertThat(batch.results()).extracting(ShardResult::shardIndex)
                            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300).boxed().toList()));
            batcher.close();
        }
    }

    @Test
    void batchesHoldAtMostAThousandResultsAndEachGoesWhereItsTriggerSaid() throws Exception {
        try (ResultReceiver first = new ResultReceiver(); ResultReceiver second = new ResultReceiver()) {
            first.up(true);
            second.up(true);
            ResultBatcher batcher = batcher(URI.create(first.baseUrl()));
            for (int shard = 0; shard < 1_200; shard++) {
                batcher.submit(result(901, shard), null);
            }
            for (int shard = 0; shard < 10; shard++) {
                batcher.submit(result(902, shard), second.baseUrl() + WirePaths.RESULTS);
            }
            drainerBusy.countDown();

            await().atMost(Agents.PATIENCE).until(() -> first.received().size() == 1_200 && second.received().size() == 10);
            assertThat(first.batches()).as("two reports may be in flight at once, so either may land first")
                    .extracting(batch -> batch.results().size()).containsExactlyInAnyOrder(ResultBatch.MAX_RESULTS, 200);
            assertThat(second.batches()).extracting(batch -> batch.results().size()).containsExactly(10);
            await().atMost(Agents.PATIENCE).until(() -> spool.list().isEmpty());
            batcher.close();
        }
    }

    @Test
    void resultsStillQueuedWhenTheAgentClosesAreSpooledForTheNextStart() throws Exception {
        ResultBatcher batcher = batcher(URI.create("http://127.0.0.1:1"));
        for (int shard = 0; shard < 5; shard++) {
            batcher.submit(result(903, shard), null);
        }
        batcher.close();
        batcher.close();

        assertThat(spool.list()).singleElement().satisfies(entry -> assertThat(entry.batch().results()).hasSize(5));
        drainerBusy.countDown();
        drainer.shutdown();
        assertThat(drainer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(spool.list()).as("nothing left for the drainer to send twice").hasSize(1);
    }

    private static ShardResult result(long runId, int shard) {
        return result(runId, shard, "");
    }

    private static ShardResult result(long runId, int shard, String message) {
        return new ShardResult(WireMessage.PROTOCOL_VERSION, runId, shard, 1, 3, "exec-1", RunStatus.SUCCEEDED, 0, message,
                Instant.now(), Instant.now(), 42);
    }
}
