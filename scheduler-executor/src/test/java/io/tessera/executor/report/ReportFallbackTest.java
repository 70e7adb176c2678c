package io.tessera.executor.report;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A batch whose dispatching admin died reaches another live admin, and leaves the spool only then. */
class ReportFallbackTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aBatchGoesToAnotherLiveAdminWhenItsAdminIsGone(@TempDir Path spoolDir) throws Exception {
        List<URI> tried = new CopyOnWriteArrayList<>();
        List<ResultBatch> delivered = new CopyOnWriteArrayList<>();
        ResultReporter reporter = (batch, target) -> {
            tried.add(target);
            if (target.getHost().equals("dead-admin")) {
                return CompletableFuture.failedFuture(new ConnectException("connection refused"));
            }
            delivered.add(batch);
            return CompletableFuture.completedFuture(new ResultBatchAck(WireMessage.PROTOCOL_VERSION, batch.results().size(), 0));
        };
        ResultSpool spool = new ResultSpool(spoolDir);
        ReportDispatcher dispatcher = new ReportDispatcher(spool, reporter, null, scheduler, Duration.ofMillis(10),
                Duration.ofMillis(50), () -> List.of(URI.create("http://dead-admin:8080"), URI.create("http://live-admin:8080")));
        List<ShardResult> results = List.of(result(0), result(1), result(2));

        dispatcher.submit(results, "http://dead-admin:8080/api/v1/executor/results");

        await().atMost(Duration.ofSeconds(5)).until(() -> spool.list().isEmpty());
        assertThat(tried.get(0).getHost()).isEqualTo("dead-admin");
        assertThat(tried).anyMatch(uri -> uri.toString().equals("http://live-admin:8080/api/v1/executor/results"));
        assertThat(delivered).singleElement().satisfies(batch -> assertThat(batch.results()).isEqualTo(results));
        dispatcher.close();
    }

    private static ShardResult result(int shard) {
        return new ShardResult(WireMessage.PROTOCOL_VERSION, 7, shard, 1, 3, "exec-1", RunStatus.SUCCEEDED, 0, "",
                Instant.now(), Instant.now(), 42);
    }
}
