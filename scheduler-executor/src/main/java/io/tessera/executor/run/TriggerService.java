package io.tessera.executor.run;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireMessage;
import io.tessera.executor.claim.ClaimAttempt;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.device.DeviceInventory;
import io.tessera.executor.handler.HandlerRegistry;
import io.tessera.executor.handler.ShardHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Turns a trigger into an answer: check the handler and the connection, claim the shard in
 * ZooKeeper (asynchronously), then let the runner admit it. Every refusal after a successful
 * claim gives the claim back.
 */
public final class TriggerService {

    private static final Logger log = LoggerFactory.getLogger(TriggerService.class);

    private final String executorId;
    private final HandlerRegistry handlers;
    private final ShardHandler commandHandler;
    private final DeviceInventory devices;
    private final ClaimService claims;
    private final ShardRunner runner;
    private final BooleanSupplier connected;

    /** @param commandHandler the built-in command handler, or null when it is disabled */
    public TriggerService(String executorId, HandlerRegistry handlers, ShardHandler commandHandler, DeviceInventory devices,
                          ClaimService claims, ShardRunner runner, BooleanSupplier connected) {
        this.executorId = executorId;
        this.handlers = handlers;
        this.commandHandler = commandHandler;
        this.devices = devices;
        this.claims = claims;
        this.runner = runner;
        this.connected = connected;
    }

    /** @throws BadTriggerException when the trigger cannot be meant for this agent */
    public CompletionStage<TriggerReply> trigger(TriggerRequest trigger, long receivedNanos) {
        validate(trigger);
        Optional<ShardHandler> handler = resolve(trigger.handler());
        if (handler.isEmpty()) {
            return reply(trigger, JobDefinition.COMMAND_HANDLER.equals(trigger.handler())
                    ? refusal(TriggerOutcome.COMMAND_DISABLED, "the command handler is not enabled on this agent (--allow-command)")
                    : refusal(TriggerOutcome.UNKNOWN_HANDLER, "no handler named '" + trigger.handler() + "' on this agent"));
        }
        if (!connected.getAsBoolean()) {
            return reply(trigger, refusal(TriggerOutcome.UNAVAILABLE, "no ZooKeeper connection: cannot claim"));
        }
        ShardKey key = new ShardKey(trigger.runId(), trigger.shardIndex());
        if (!runner.reserve(key)) {
            return reply(trigger, refusal(TriggerOutcome.ALREADY_CLAIMED, "this agent already holds " + key));
        }
        return claims.claim(trigger.runId(), trigger.shardIndex(), trigger.attempt())
                .thenCompose(attempt -> admit(trigger, handler.get(), attempt, receivedNanos, key))
                .exceptionally(error -> {
                    runner.unreserve(key);
                    log.warn("could not claim {}: {}", key, error.toString());
                    return new TriggerReply(WireMessage.PROTOCOL_VERSION, trigger.runId(), trigger.shardIndex(),
                            TriggerOutcome.UNAVAILABLE, executorId, 0, "could not claim: " + rootMessage(error));
                });
    }

    private CompletionStage<TriggerReply> admit(TriggerRequest trigger, ShardHandler handler, ClaimAttempt attempt,
                                                long receivedNanos, ShardKey key) {
        if (attempt.outcome() != ClaimAttempt.Outcome.CLAIMED) {
            runner.unreserve(key);
            return reply(trigger, attempt.outcome() == ClaimAttempt.Outcome.ALREADY_DONE
                    ? refusal(TriggerOutcome.ALREADY_DONE, key + " already has a result")
                    : refusal(TriggerOutcome.ALREADY_CLAIMED, key + " is held by another executor"));
        }
        ShardExecution execution = new ShardExecution(trigger, attempt.claim(), handler, receivedNanos);
        Admission admission;
        try {
            admission = runner.admit(execution);
        } catch (RuntimeException e) {
            admission = new Admission(TriggerOutcome.UNAVAILABLE, "cannot start: " + e.getMessage());
        }
        long token = attempt.claim().fencingToken();
        if (admission.outcome().runs()) {
            return CompletableFuture.completedFuture(new TriggerReply(WireMessage.PROTOCOL_VERSION, trigger.runId(),
                    trigger.shardIndex(), admission.outcome(), executorId, token, admission.message()));
        }
        Admission refused = admission;
        return runner.release(attempt.claim()).handle((v, e) -> {
            runner.unreserve(key);
            return new TriggerReply(WireMessage.PROTOCOL_VERSION, trigger.runId(), trigger.shardIndex(),
                    refused.outcome(), executorId, 0, refused.message());
        });
    }

    private Optional<ShardHandler> resolve(String name) {
        if (JobDefinition.COMMAND_HANDLER.equals(name)) {
            return Optional.ofNullable(commandHandler);
        }
        return handlers.find(name);
    }

    private void validate(TriggerRequest trigger) {
        if (trigger.runId() < 0 || trigger.shardIndex() < 0) {
            throw new BadTriggerException("runId and shardIndex must not be negative");
        }
        if (trigger.shardTotal() < 1 || trigger.shardIndex() >= trigger.shardTotal()) {
            throw new BadTriggerException("shardIndex " + trigger.shardIndex() + " is not below shardTotal " + trigger.shardTotal());
        }
        if (trigger.attempt() < 0 || trigger.timeoutSeconds() < 0) {
            throw new BadTriggerException("attempt and timeoutSeconds must not be negative");
        }
        if (trigger.handler() == null || trigger.handler().isBlank()) {
            throw new BadTriggerException("handler is required");
        }
        if (trigger.jobName() == null || trigger.jobName().isBlank()) {
            throw new BadTriggerException("jobName is required");
        }
        for (DeviceId device : trigger.devices()) {
            if (!devices.has(device)) {
                throw new BadTriggerException("device " + device + " is not on this executor (it has "
                        + devices.devices().stream().map(DeviceId::of).toList() + ")");
            }
        }
    }

    private CompletionStage<TriggerReply> reply(TriggerRequest trigger, Admission admission) {
        return CompletableFuture.completedFuture(new TriggerReply(WireMessage.PROTOCOL_VERSION, trigger.runId(),
                trigger.shardIndex(), admission.outcome(), executorId, 0, admission.message()));
    }

    private static Admission refusal(TriggerOutcome outcome, String message) {
        return new Admission(outcome, message);
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
