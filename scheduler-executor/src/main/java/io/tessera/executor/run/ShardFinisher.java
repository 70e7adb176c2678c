package io.tessera.executor.run;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import io.tessera.executor.claim.Claim;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.claim.Completion;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.report.ResultBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Ends a held shard: writes its result into its attempt node and hands it to the reports, or gives
 * its claim back without a result when it was stopped for a reason that records none; retries while
 * ZooKeeper is unreachable; then tells the runner the shard's slot is free.
 */
final class ShardFinisher {

    private static final Logger log = LoggerFactory.getLogger(ShardFinisher.class);
    private static final Duration RETRY = Duration.ofMillis(500);
    /** A handler's message is cut beyond this: a result must fit in a ZooKeeper transaction. */
    static final int MAX_MESSAGE_CHARS = 16 * 1024;

    private final String executorId;
    private final ClaimService claims;
    private final ResultBatcher reports;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final BooleanSupplier closing;
    private final BooleanSupplier pastDeadline;
    private final Consumer<ShardExecution> released;

    /**
     * @param closing      whether the agent is closing: then an unreachable ZooKeeper is not waited for
     * @param pastDeadline whether the connection deadline has passed ({@link ConnectionGuard#pastDeadline})
     * @param released     told once the shard holds no claim here any more
     */
    ShardFinisher(String executorId, ClaimService claims, ResultBatcher reports, ScheduledExecutorService timers,
                  Clock clock, BooleanSupplier closing, BooleanSupplier pastDeadline, Consumer<ShardExecution> released) {
        this.executorId = executorId;
        this.claims = claims;
        this.reports = reports;
        this.timers = timers;
        this.clock = clock;
        this.closing = closing;
        this.pastDeadline = pastDeadline;
        this.released = released;
    }

    void finish(ShardExecution execution, HandlerResult result, Instant startedAt) {
        Future<?> timeout = execution.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (execution.stopReason() == null && pastDeadline.getAsBoolean() && execution.stop(StopReason.CONNECTION_LOST)) {
            // It returned as the deadline stop came (or after a freeze): it ran past the point where the
            // shard may have been given to someone else, so it is a stopped zombie, not a finished attempt.
            log.warn("{} returned {} after the ZooKeeper deadline had passed: it counts as stopped", execution.key,
                    result.status());
        }
        StopReason reason = execution.stopReason();
        if (reason != null && !reason.recordsResult()) {
            log.warn("{} stopped ({}); giving its claim back without a result", execution.key, reason);
            release(execution.claim).whenComplete((v, e) -> released.accept(execution));
            return;
        }
        ShardResult shardResult = new ShardResult(WireMessage.PROTOCOL_VERSION, execution.key.runId(), execution.key.shard(),
                execution.trigger.attempt(), execution.trigger.jobId(), executorId, result.status(), result.exitCode(),
                capped(result.message()), startedAt, clock.instant(), execution.claim.fencingToken(), execution.trigger.devices());
        complete(execution, shardResult);
    }

    private static String capped(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + "… (" + (message.length() - MAX_MESSAGE_CHARS) + " more characters)";
    }

    private void complete(ShardExecution execution, ShardResult result) {
        claims.complete(execution.claim, result).whenComplete((completion, error) -> {
            if (error != null) {
                log.error("completing {} failed in the agent; trying again", execution.key, error);
            }
            switch (error == null ? completion : Completion.UNREACHABLE) {
                case DONE -> {
                    reports.submit(result, execution.trigger.reportTo());
                    released.accept(execution);
                }
                case STALE -> {
                    log.error("STALE RESULT NOT RECORDED: {} finished {} but its claim (fencing token {}) is no longer"
                            + " ours; another executor may hold the shard now", execution.key, result.status(),
                            result.fencingToken());
                    released.accept(execution);
                }
                case UNREACHABLE -> retryCompletion(execution, result);
            }
        });
    }

    private void retryCompletion(ShardExecution execution, ShardResult result) {
        if (closing.getAsBoolean()) {
            log.warn("{} finished {} but ZooKeeper is unreachable and the agent is closing; its claim expires with"
                    + " the session", execution.key, result.status());
            released.accept(execution);
            return;
        }
        log.warn("{} finished {} but ZooKeeper is unreachable; retrying in {} ms", execution.key, result.status(),
                RETRY.toMillis());
        try {
            timers.schedule(() -> complete(execution, result), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("{}: the agent is closing; its claim expires with the session", execution.key);
            released.accept(execution);
        }
    }

    /** Gives a claim back, trying again while ZooKeeper is unreachable; completes once it is gone or no longer ours. */
    CompletionStage<Void> release(Claim claim) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        releaseUntilSettled(claim, done);
        return done;
    }

    private void releaseUntilSettled(Claim claim, CompletableFuture<Void> done) {
        claims.release(claim).whenComplete((outcome, error) -> {
            if (error != null) {
                log.error("releasing {} failed in the agent", claim.path(), error);
            }
            if (error == null && outcome != Completion.UNREACHABLE || closing.getAsBoolean()) {
                done.complete(null);
                return;
            }
            try {
                timers.schedule(() -> releaseUntilSettled(claim, done), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.warn("the agent is closing: the claim {} expires with the session", claim.path());
                done.complete(null);
            }
        });
    }
}
