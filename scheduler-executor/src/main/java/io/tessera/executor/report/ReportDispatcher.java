package io.tessera.executor.report;

import io.tessera.core.wire.ResultAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WirePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    private final java.util.function.Supplier<java.util.List<URI>> liveAdmins;

    public ReportDispatcher(ResultSpool spool, ResultReporter reporter, URI adminUrl, ScheduledExecutorService scheduler,
                            Duration initialDelay, Duration maxDelay) {
        this(spool, reporter, adminUrl, scheduler, initialDelay, maxDelay, java.util.List::of);
    }

    /**
     * @param liveAdmins the admins that are up now; after a failed report the next tries go round
     *                   them too, so a result reaches the cluster when the admin that sent the shard died
     */
    public ReportDispatcher(ResultSpool spool, ResultReporter reporter, URI adminUrl, ScheduledExecutorService scheduler,
                            Duration initialDelay, Duration maxDelay, java.util.function.Supplier<java.util.List<URI>> liveAdmins) {
        this.liveAdmins = liveAdmins;
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
        attempt(file, report, initialDelay, 0);
    }

    /** Re-sends everything in the spool, e.g. after a restart. @return how many reports */
    public int resend() {
        try {
            var entries = spool.list();
            entries.forEach(entry -> attempt(entry.file(), entry.report(), initialDelay, 0));
            if (!entries.isEmpty()) {
                log.info("re-sending {} spooled result(s)", entries.size());
            }
            return entries.size();
        } catch (IOException e) {
            log.error("cannot read the spool: {}", e.toString());
            return 0;
        }
    }

    private void attempt(Path file, SpooledReport report, Duration nextDelay, int failures) {
        if (closed.get()) {
            return;
        }
        ShardResult result = report.result();
        URI target = failures == 0 ? target(report) : fallback(report, failures);
        if (target == null) {
            log.warn("no usable admin URL: the result of run {} shard {} stays in {} until a restart with one",
                    result.runId(), result.shardIndex(), file);
            return;
        }
        CompletionStage<ResultAck> sent;
        try {
            sent = reporter.report(result, target);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ack, error) -> {
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
                scheduler.schedule(() -> attempt(file, report, after, failures + 1), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: the spool keeps the report for the next start
            }
        });
    }

    /**
     * The trigger's {@code reportTo} when it names one (a URL with a path is used as it is; a bare
     * {@code http://host:port} gets {@link WirePaths#RESULTS}), else the configured admin URL + RESULTS.
     */
    static URI target(SpooledReport report, URI adminUrl) {
        if (report.reportTo() != null && !report.reportTo().isBlank()) {
            URI named = URI.create(report.reportTo());
            return named.getRawPath() == null || named.getRawPath().isEmpty() || named.getRawPath().equals("/")
                    ? withResultsPath(named) : named;
        }
        return adminUrl == null ? null : withResultsPath(adminUrl);
    }

    private URI target(SpooledReport report) {
        try {
            return target(report, adminUrl);
        } catch (IllegalArgumentException e) {
            log.error("run {} shard {} names a bad report URL '{}'; the result stays spooled", report.result().runId(),
                    report.result().shardIndex(), report.reportTo());
            return null;
        }
    }

    /** After a failure: the first target and every live admin in turn. */
    private URI fallback(SpooledReport report, int failures) {
        java.util.List<URI> candidates = new java.util.ArrayList<>();
        URI first = target(report);
        if (first != null) {
            candidates.add(first);
        }
        for (URI admin : liveAdmins.get()) {
            URI url = withResultsPath(admin);
            if (!candidates.contains(url)) {
                candidates.add(url);
            }
        }
        return candidates.isEmpty() ? null : candidates.get(failures % candidates.size());
    }

    private static URI withResultsPath(URI base) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + WirePaths.RESULTS);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
