package io.tessera.executor.run;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import io.tessera.executor.claim.ClaimAttempt;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.device.DeviceInventory;
import io.tessera.executor.handler.HandlerRegistry;
import io.tessera.executor.handler.ShardHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Turns triggers into answers: check each one (handler, devices, connection, not already held
 * here), claim all that pass in one ZooKeeper transaction on the session that received them, then
 * let the runner admit them. Every refusal after a successful claim gives the claim back.
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

    /**
     * One trigger, as a batch of one.
     *
     * @throws BadTriggerException when the trigger cannot be meant for this agent
     */
    public CompletionStage<TriggerReply> trigger(TriggerRequest trigger, long receivedNanos) {
        long receivedIn = claims.sessionId();
        validate(trigger);
        return handle(List.of(trigger), receivedNanos, receivedIn).thenApply(replies -> replies.get(0));
    }

    /**
     * Every trigger of a batch, answered in order. One that cannot be meant for this agent is
     * answered REJECTED; the others go on.
     */
    public CompletionStage<List<TriggerReply>> triggerAll(List<TriggerRequest> triggers, long receivedNanos) {
        return handle(triggers, receivedNanos, claims.sessionId());
    }

    /** @param receivedIn the ZooKeeper session current when the triggers arrived: the only one that may claim them */
    private CompletionStage<List<TriggerReply>> handle(List<TriggerRequest> triggers, long receivedNanos, long receivedIn) {
        TriggerReply[] replies = new TriggerReply[triggers.size()];
        List<Candidate> candidates = new ArrayList<>(triggers.size());
        for (int i = 0; i < triggers.size(); i++) {
            TriggerRequest trigger = triggers.get(i);
            Candidate candidate = check(trigger, i, replies);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        if (candidates.isEmpty()) {
            return CompletableFuture.completedFuture(Arrays.asList(replies));
        }
        List<AttemptPath> attempts = candidates.stream()
                .map(c -> new AttemptPath(c.trigger.runId(), c.trigger.shardIndex(), c.trigger.attempt())).toList();
        return claims.claim(attempts, receivedIn)
                .exceptionally(error -> {
                    log.error("could not claim {} trigger(s)", candidates.size(), error);
                    return Collections.nCopies(candidates.size(), null);
                })
                .thenCompose(outcomes -> admit(candidates, outcomes, receivedNanos, replies));
    }

    /** A trigger that may be claimed, reserved; or null, its reply written. */
    private Candidate check(TriggerRequest trigger, int index, TriggerReply[] replies) {
        try {
            validate(trigger);
        } catch (BadTriggerException e) {
            replies[index] = new TriggerReply(WireMessage.PROTOCOL_VERSION, trigger.runId(), trigger.shardIndex(),
                    TriggerOutcome.REJECTED, null, 0, e.getMessage());
            return null;
        }
        Optional<ShardHandler> handler = resolve(trigger.handler());
        if (handler.isEmpty()) {
            replies[index] = JobDefinition.COMMAND_HANDLER.equals(trigger.handler())
                    ? reply(trigger, TriggerOutcome.COMMAND_DISABLED, 0, "the command handler is not enabled on this agent (--allow-command)")
                    : reply(trigger, TriggerOutcome.UNKNOWN_HANDLER, 0, "no handler named '" + trigger.handler() + "' on this agent");
            return null;
        }
        if (!connected.getAsBoolean()) {
            replies[index] = reply(trigger, TriggerOutcome.UNAVAILABLE, 0, "no ZooKeeper connection: cannot claim");
            return null;
        }
        ShardKey key = new ShardKey(trigger.runId(), trigger.shardIndex());
        if (!runner.reserve(key)) {
            replies[index] = reply(trigger, TriggerOutcome.ALREADY_CLAIMED, 0, "this agent already holds " + key);
            return null;
        }
        return new Candidate(index, trigger, handler.get());
    }

    private CompletionStage<List<TriggerReply>> admit(List<Candidate> candidates, List<ClaimAttempt> outcomes,
                                                      long receivedNanos, TriggerReply[] replies) {
        List<Candidate> claimed = new ArrayList<>();
        List<ShardExecution> executions = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            ClaimAttempt outcome = outcomes.get(i);
            if (outcome == null) {
                runner.unreserve(candidate.key());
                replies[candidate.index] = reply(candidate.trigger, TriggerOutcome.UNAVAILABLE, 0, "could not claim: the agent failed");
            } else if (outcome.outcome() == ClaimAttempt.Outcome.CLAIMED) {
                claimed.add(candidate);
                executions.add(new ShardExecution(candidate.trigger, outcome.claim(), candidate.handler, receivedNanos));
            } else {
                runner.unreserve(candidate.key());
                replies[candidate.index] = reply(candidate.trigger, refusalOf(outcome.outcome()), 0, outcome.message());
            }
        }
        List<Admission> admissions = admissions(executions);
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            Candidate candidate = claimed.get(i);
            Admission admission = admissions.get(i);
            ShardExecution execution = executions.get(i);
            if (admission.outcome().runs()) {
                replies[candidate.index] = reply(candidate.trigger, admission.outcome(), execution.claim.fencingToken(),
                        admission.message());
            } else {
                releases.add(runner.release(execution.claim).toCompletableFuture().handle((v, e) -> {
                    runner.unreserve(candidate.key());
                    replies[candidate.index] = reply(candidate.trigger, admission.outcome(), 0, admission.message());
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)).thenApply(v -> Arrays.asList(replies));
    }

    private List<Admission> admissions(List<ShardExecution> executions) {
        if (executions.isEmpty()) {
            return List.of();
        }
        try {
            return runner.admitAll(executions);
        } catch (RuntimeException e) {
            log.error("cannot admit {} claimed shard(s)", executions.size(), e);
            return executions.stream().map(x -> new Admission(TriggerOutcome.UNAVAILABLE, "cannot start: " + e.getMessage())).toList();
        }
    }

    private static TriggerOutcome refusalOf(ClaimAttempt.Outcome outcome) {
        return switch (outcome) {
            case ALREADY_DONE -> TriggerOutcome.ALREADY_DONE;
            case ALREADY_CLAIMED -> TriggerOutcome.ALREADY_CLAIMED;
            case UNAVAILABLE, CLAIMED -> TriggerOutcome.UNAVAILABLE;
        };
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
        if (trigger.attempt() < 1) {
            throw new BadTriggerException("attempt must be at least 1, was " + trigger.attempt());
        }
        if (trigger.timeoutSeconds() < 0) {
            throw new BadTriggerException("timeoutSeconds must not be negative");
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

    private TriggerReply reply(TriggerRequest trigger, TriggerOutcome outcome, long fencingToken, String message) {
        return new TriggerReply(WireMessage.PROTOCOL_VERSION, trigger.runId(), trigger.shardIndex(), outcome, executorId,
                fencingToken, message);
    }

    private record Candidate(int index, TriggerRequest trigger, ShardHandler handler) {
        ShardKey key() {
            return new ShardKey(trigger.runId(), trigger.shardIndex());
        }
    }
}
