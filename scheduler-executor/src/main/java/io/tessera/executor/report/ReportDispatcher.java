package io.tessera.executor.report;

import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Spools each batch of results as one file, then reports it as one {@link ResultBatch} until
 * acknowledged, backing off exponentially between attempts. Only an acknowledgement removes the
 * spooled file; on start the whole spool is re-sent. A batch whose report would be larger than the
 * admin accepts is first cut into several ({@link ResultBatchSplitter}), each spooled and sent alone.
 */
public final class ReportDispatcher implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ReportDispatcher.class);

    private final ResultSpool spool;
    private final ResultReporter reporter;
    private final URI adminUrl;
    private final ScheduledExecutorService scheduler;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Supplier<List<URI>> liveAdmins;
    private final ResultBatchSplitter splitter;
    private final AtomicBoolean closed = new AtomicBoolean();

    public ReportDispatcher(ResultSpool spool, ResultReporter reporter, URI adminUrl, ScheduledExecutorService scheduler,
                            Duration initialDelay, Duration maxDelay) {
        this(spool, reporter, adminUrl, scheduler, initialDelay, maxDelay, List::of);
    }

    public ReportDispatcher(ResultSpool spool, ResultReporter reporter, URI adminUrl, ScheduledExecutorService scheduler,
                            Duration initialDelay, Duration maxDelay, Supplier<List<URI>> liveAdmins) {
        this(spool, reporter, adminUrl, scheduler, initialDelay, maxDelay, liveAdmins, ResultBatch.DEFAULT_MAX_BYTES);
    }

    /**
     * @param liveAdmins the admins that are up now; after a failed report the next tries go round
     *                   them too, so a batch reaches the cluster when the admin that sent its shards died
     */
    /** @param maxBatchBytes the largest report's encoded body; larger batches are cut (at least 64 KiB) */
    public ReportDispatcher(ResultSpool spool, ResultReporter reporter, URI adminUrl, ScheduledExecutorService scheduler,
                            Duration initialDelay, Duration maxDelay, Supplier<List<URI>> liveAdmins, int maxBatchBytes) {
        this.splitter = new ResultBatchSplitter(maxBatchBytes);
        this.spool = spool;
        this.reporter = reporter;
        this.adminUrl = adminUrl;
        this.scheduler = scheduler;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.liveAdmins = liveAdmins;
    }

    /**
     * Spools the batch (before returning; this writes a file, one per report when it must be cut) and
     * starts reporting it.
     *
     * @param results  at most {@link ResultBatch#MAX_RESULTS}
     * @param reportTo where they go; null for the configured admin
     * @return completes when the first report of each part was answered or failed (retries go on after),
     *         so that a caller can keep one report in flight and let the next batch grow meanwhile
     */
    public CompletionStage<Void> submit(List<ShardResult> results, String reportTo) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (List<ShardResult> part : splitter.split(results)) {
            SpooledBatch batch = new SpooledBatch(reportTo, part);
            Path file = spool(batch);
            if (!closed.get()) {
                sent.add(attempt(file, batch, initialDelay, 0).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /** Only spools the batch, for the next start to send: what is left when the agent closes. */
    public void spoolOnly(List<ShardResult> results, String reportTo) {
        splitter.split(results).forEach(part -> spool(new SpooledBatch(reportTo, part)));
    }

    /** Re-sends every spooled batch, e.g. after a restart. @return how many batches */
    public int resend() {
        try {
            List<ResultSpool.Entry> entries = spool.list();
            entries.forEach(this::resend);
            if (!entries.isEmpty()) {
                log.info("re-sending {} spooled batch(es) of results", entries.size());
            }
            return entries.size();
        } catch (IOException e) {
            log.error("cannot read the spool: {}", e.toString());
            return 0;
        }
    }

    /** A batch spooled before the size limit (or under a larger one) is cut and spooled again first. */
    private void resend(ResultSpool.Entry entry) {
        List<List<ShardResult>> parts = splitter.split(entry.batch().results());
        if (parts.size() == 1 && parts.get(0).equals(entry.batch().results())) {
            attempt(entry.file(), entry.batch(), initialDelay, 0);
            return;
        }
        log.info("{} in {} make a report over the size limit; re-spooling them as {} reports", entry.batch().describe(),
                entry.file(), parts.size());
        List<Path> files = new ArrayList<>();
        for (List<ShardResult> part : parts) {
            Path file = spool(new SpooledBatch(entry.batch().reportTo(), part));
            if (file == null) {
                files.forEach(spool::delete);
                attempt(entry.file(), entry.batch(), initialDelay, 0);
                return;
            }
            files.add(file);
        }
        spool.delete(entry.file());
        for (int i = 0; i < parts.size(); i++) {
            attempt(files.get(i), new SpooledBatch(entry.batch().reportTo(), parts.get(i)), initialDelay, 0);
        }
    }

    private Path spool(SpooledBatch batch) {
        try {
            return spool.write(batch);
        } catch (IOException e) {
            log.error("cannot spool {}; reporting them without a durable copy: {}", batch.describe(), e.toString());
            return null;
        }
    }

    /** @return completes when this attempt was answered or failed */
    private CompletionStage<Void> attempt(Path file, SpooledBatch batch, Duration nextDelay, int failures) {
        if (closed.get()) {
            return CompletableFuture.completedFuture(null);
        }
        URI target = failures == 0 ? target(batch) : fallback(batch, failures);
        if (target == null) {
            log.warn("no usable admin URL: {} stay in {} until a restart with one", batch.describe(), file);
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<ResultBatchAck> sent;
        try {
            sent = reporter.report(new ResultBatch(WireMessage.PROTOCOL_VERSION, batch.results()), target);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((ack, error) -> {
            if (error == null && ack != null) {
                acknowledged(file, batch, ack);
                return null;
            }
            if (closed.get()) {
                return null;
            }
            log.warn("reporting {} to {} failed ({}); retrying in {} ms", batch.describe(), target,
                    error == null ? "no acknowledgement" : error.toString(), nextDelay.toMillis());
            Duration after = nextDelay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : nextDelay.multipliedBy(2);
            try {
                scheduler.schedule(() -> attempt(file, batch, after, failures + 1), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.info("closing: {} stay in the spool for the next start", batch.describe());
            }
            return null;
        });
    }

    private void acknowledged(Path file, SpooledBatch batch, ResultBatchAck ack) {
        if (ack.recorded() + ack.alreadyRecorded() != batch.results().size()) {
            log.warn("the admin acknowledged {} but counted {} recorded and {} already recorded", batch.describe(),
                    ack.recorded(), ack.alreadyRecorded());
        }
        if (file != null) {
            spool.delete(file);
        }
    }

    /**
     * The trigger's {@code reportTo} when it names one (a URL with a path is used as it is; a bare
     * {@code http://host:port} gets {@link WirePaths#RESULTS}), else the configured admin URL + RESULTS.
     */
    static URI target(String reportTo, URI adminUrl) {
        if (reportTo != null && !reportTo.isBlank()) {
            URI named = URI.create(reportTo);
            return named.getRawPath() == null || named.getRawPath().isEmpty() || named.getRawPath().equals("/")
                    ? withResultsPath(named) : named;
        }
        return adminUrl == null ? null : withResultsPath(adminUrl);
    }

    private URI target(SpooledBatch batch) {
        try {
            return target(batch.reportTo(), adminUrl);
        } catch (IllegalArgumentException e) {
            log.error("{} name a bad report URL '{}'; they stay spooled", batch.describe(), batch.reportTo());
            return null;
        }
    }

    /** After a failure: the first target and every live admin in turn. */
    private URI fallback(SpooledBatch batch, int failures) {
        List<URI> candidates = new ArrayList<>();
        URI first = target(batch);
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
