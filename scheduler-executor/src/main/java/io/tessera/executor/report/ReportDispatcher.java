package io.tessera.executor.report;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WirePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Spools each result, then reports it until acknowledged, backing off exponentially between
 * attempts. Only an acknowledgement removes the spooled copy; on start the whole spool is re-sent.
 */
public final class ReportDispatcher implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ReportDispatcher.class);

    private final ResultSpool spool;
    private final ResultReporter reporter;
    private final URI adminUrl;
    private final ScheduledExecutorService scheduler;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final AtomicBoolean closed = new AtomicBoolean();

    public ReportDispatcher(ResultSpool spool, ResultReporter reporter, URI adminUrl, ScheduledExecutorService scheduler,
                            Duration initialDelay, Duration maxDelay) {
        this.spool = spool;
        this.reporter = reporter;
        this.adminUrl = adminUrl;
        this.scheduler = scheduler;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Spools the result (before returning) and starts reporting it. */
    public void submit(ShardResult result, String reportTo) {
        SpooledReport report = new SpooledReport(result, reportTo);
        Path file;
        try {
            file = spool.write(report);
        } catch (IOException e) {
            log.error("cannot spool the result of run {} shard {}; reporting it without a durable copy: {}",
                    result.runId(), result.shardIndex(), e.toString());
            file = null;
        }
        attempt(file, report, initialDelay);
    }

    /** Re-sends everything in the spool, e.g. after a restart. @return how many reports */
    public int resend() {
        try {
            var entries = spool.list();
            entries.forEach(entry -> attempt(entry.file(), entry.report(), initialDelay));
            if (!entries.isEmpty()) {
                log.info("re-sending {} spooled result(s)", entries.size());
            }
            return entries.size();
        } catch (IOException e) {
            log.error("cannot read the spool: {}", e.toString());
            return 0;
        }
    }

    private void attempt(Path file, SpooledReport report, Duration nextDelay) {
        if (closed.get()) {
            return;
        }
        ShardResult result = report.result();
        URI target = target(report);
        if (target == null) {
            log.warn("no admin URL configured and the trigger named none: the result of run {} shard {} stays in {}",
                    result.runId(), result.shardIndex(), file);
            return;
        }
        reporter.report(result, target).whenComplete((ack, error) -> {
            if (error == null && ack != null) {
                if (!ack.accepted()) {
                    log.warn("admin acknowledged but did not accept run {} shard {}: {}", result.runId(),
                            result.shardIndex(), ack.message());
                }
                if (file != null) {
                    spool.delete(file);
                }
                return;
            }
            if (closed.get()) {
                return;
            }
            log.warn("reporting run {} shard {} to {} failed ({}); retrying in {} ms", result.runId(), result.shardIndex(),
                    target, error == null ? "no acknowledgement" : error.toString(), nextDelay.toMillis());
            Duration after = nextDelay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : nextDelay.multipliedBy(2);
            try {
                scheduler.schedule(() -> attempt(file, report, after), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: the spool keeps the report for the next start
            }
        });
    }

    private URI target(SpooledReport report) {
        if (report.reportTo() != null && !report.reportTo().isBlank()) {
            return URI.create(report.reportTo());
        }
        if (adminUrl == null) {
            return null;
        }
        String base = adminUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + WirePaths.RESULTS);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
