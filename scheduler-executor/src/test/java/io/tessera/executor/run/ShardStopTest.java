package io.tessera.executor.run;

import io.tessera.executor.claim.Claim;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The first stop is the shard's reason; a later one only ever shortens a preemption's grace. */
class ShardStopTest {

    private final ShardExecution execution = new ShardExecution(Agents.trigger(1, 0, "noop", ""),
            new Claim(1, 0, 1, "/runs/1/0/1", 0, 7, 1), ctx -> HandlerResult.succeeded(), System.nanoTime());

    @Test
    void aPreemptionKeepsItsReasonAndGraceAndTellsTheResult() {
        assertThat(execution.stop(ShardStop.preemption("room for run 42", Duration.ofSeconds(30)))).isTrue();

        assertThat(execution.stopReason()).isEqualTo(StopReason.PREEMPTED);
        assertThat(execution.preemptionReason()).contains("room for run 42");
        assertThat(execution.stopGrace()).contains(Duration.ofSeconds(30));
        assertThat(execution.stop().describe()).isEqualTo("preempted: room for run 42");
        assertThat(execution.stop().describe("while queued")).isEqualTo("preempted: room for run 42 (while queued)");
    }

    @Test
    void aRepeatedPreemptionChangesNothingButAnyOtherStopEndsTheGrace() {
        execution.stop(ShardStop.preemption("room for run 42", Duration.ofSeconds(30)));

        assertThat(execution.stop(ShardStop.preemption("again", Duration.ofSeconds(1)))).isFalse();
        assertThat(execution.stopGrace()).contains(Duration.ofSeconds(30));

        assertThat(execution.stop(StopReason.CONNECTION_LOST)).isFalse();
        assertThat(execution.stopGrace()).isEmpty();
        assertThat(execution.stopReason()).isEqualTo(StopReason.PREEMPTED);
        assertThat(execution.preemptionReason()).contains("room for run 42");
    }

    @Test
    void aLaterStopInterruptsTheHandlerAgainOnlyToEndAGrace() {
        assertThat(execution.begin(Thread.currentThread(), Instant.now())).isTrue();
        try {
            execution.stop(ShardStop.preemption("room for run 42", Duration.ofSeconds(30)));
            assertThat(Thread.interrupted()).as("the preemption interrupts").isTrue();

            execution.stop(StopReason.KILLED);
            assertThat(Thread.interrupted()).as("the kill ends the grace").isTrue();

            execution.stop(StopReason.AGENT_CLOSED);
            assertThat(Thread.interrupted()).as("the grace is already over").isFalse();
        } finally {
            execution.end();
            Thread.interrupted();
        }
    }

    @Test
    void aPreemptionWithoutItsOwnGraceUsesTheKillGraceAndIsNotInterruptedTwice() {
        assertThat(execution.begin(Thread.currentThread(), Instant.now())).isTrue();
        try {
            execution.stop(ShardStop.preemption("room", Duration.ZERO));
            assertThat(Thread.interrupted()).isTrue();
            assertThat(execution.stopGrace()).isEmpty();

            execution.stop(StopReason.KILLED);
            assertThat(Thread.interrupted()).isFalse();
        } finally {
            execution.end();
            Thread.interrupted();
        }
    }

    @Test
    void aPlainStopIsNoPreemption() {
        execution.stop(StopReason.KILLED);

        assertThat(execution.preemptionReason()).isEqualTo(Optional.empty());
        assertThat(execution.stopGrace()).isEmpty();
        assertThat(execution.stop().describe()).isEqualTo("stopped: KILLED");
        assertThat(execution.stop().describe("before it started")).isEqualTo("stopped before it started: KILLED");
    }
}
