package io.tessera.executor.report;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ResultAck;
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

/** A result whose dispatching admin died reaches another live admin, and leaves the spool only then. */
class ReportFallbackTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aReportGoesToAnotherLiveAdminWhenItsAdminIsGone(@TempDir Path spoolDir) throws Exception {
        List<URI> tried = new CopyOnWriteArrayList<>();
        ResultReporter reporter = (result, target) -> {
            tried.add(target);
            return target.getHost().equals("dead-admin")
                    ? CompletableFuture.failedFuture(new ConnectException("connection refused"))
                    : CompletableFuture.completedFuture(new ResultAck(WireMessage.PROTOCOL_VERSION, result.runId(),
                    result.shardIndex(), true, "recorded"));
        };
        ResultSpool spool = new ResultSpool(spoolDir);
        ReportDispatcher dispatcher = new ReportDispatcher(spool, reporter, null, scheduler, Duration.ofMillis(10),
                Duration.ofMillis(50), () -> List.of(URI.create("http://dead-admin:8080"), URI.create("http://live-admin:8080")));
        ShardResult result = new ShardResult(WireMessage.PROTOCOL_VERSION, 7, 0, 1, 3, "exec-1", RunStatus.SUCCEEDED, 0, "",
                Instant.now(), Instant.now(), 42);

        dispatcher.submit(result, "http://dead-admin:8080/api/v1/executor/results");

        await().atMost(Duration.ofSeconds(5)).until(() -> spool.list().isEmpty());
        assertThat(tried.get(0).getHost()).isEqualTo("dead-admin");
        assertThat(tried).anyMatch(uri -> uri.toString().equals("http://live-admin:8080/api/v1/executor/results"));
        dispatcher.close();
    }
}
