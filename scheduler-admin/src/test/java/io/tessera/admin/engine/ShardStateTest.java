package io.tessera.admin.engine;

import io.tessera.admin.engine.ShardState.Event;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.tessera.admin.engine.ShardState.CANCELLED;
import static io.tessera.admin.engine.ShardState.DISPATCHED;
import static io.tessera.admin.engine.ShardState.FAILED;
import static io.tessera.admin.engine.ShardState.PENDING;
import static io.tessera.admin.engine.ShardState.RUNNING;
import static io.tessera.admin.engine.ShardState.SUCCEEDED;
import static io.tessera.admin.engine.ShardState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole transition table, written out: every (state, event) pair that moves a shard, and the
 * rule that every other pair leaves it where it is. A change to the machine changes this table.
 */
class ShardStateTest {

    private static final Map<ShardState, Map<Event, ShardState>> MOVES = new EnumMap<>(ShardState.class);

    private static void move(ShardState from, Event event, ShardState to) {
        MOVES.computeIfAbsent(from, state -> new EnumMap<>(Event.class)).put(event, to);
    }

    static {
        move(PENDING, Event.PLACED, DISPATCHED);
        move(PENDING, Event.ABANDONED, CANCELLED);
        move(PENDING, Event.SUCCEEDED, SUCCEEDED);
        move(PENDING, Event.FAILED, FAILED);
        move(PENDING, Event.TIMED_OUT, TIMED_OUT);
        move(PENDING, Event.CANCELLED, CANCELLED);

        move(DISPATCHED, Event.CLAIMED, RUNNING);
        move(DISPATCHED, Event.HELD_ELSEWHERE, RUNNING);
        move(DISPATCHED, Event.REFUSED, PENDING);
        move(DISPATCHED, Event.LOST, FAILED);
        move(DISPATCHED, Event.ABANDONED, CANCELLED);
        move(DISPATCHED, Event.SUCCEEDED, SUCCEEDED);
        move(DISPATCHED, Event.FAILED, FAILED);
        move(DISPATCHED, Event.TIMED_OUT, TIMED_OUT);
        move(DISPATCHED, Event.CANCELLED, CANCELLED);

        move(RUNNING, Event.LOST, FAILED);
        move(RUNNING, Event.ABANDONED, CANCELLED);
        move(RUNNING, Event.SUCCEEDED, SUCCEEDED);
        move(RUNNING, Event.FAILED, FAILED);
        move(RUNNING, Event.TIMED_OUT, TIMED_OUT);
        move(RUNNING, Event.CANCELLED, CANCELLED);

        move(SUCCEEDED, Event.GANG_RESTARTED, PENDING);
        for (ShardState ended : List.of(FAILED, TIMED_OUT, CANCELLED)) {
            move(ended, Event.RETRIED, PENDING);
            move(ended, Event.GANG_RESTARTED, PENDING);
        }
    }

    @Test
    void everyStateAndEventFollowsTheTable() {
        List<String> wrong = new ArrayList<>();
        for (ShardState from : ShardState.values()) {
            for (Event event : Event.values()) {
                ShardState expected = MOVES.getOrDefault(from, Map.of()).getOrDefault(event, from);
                ShardState actual = from.on(event);
                if (actual != expected) {
                    wrong.add(from + " + " + event + " -> " + actual + ", expected " + expected);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aResultIsFinalExceptForTheNextAttempt() {
        for (ShardState ended : List.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED)) {
            assertThat(ended.isTerminal()).isTrue();
            for (Event event : List.of(Event.PLACED, Event.CLAIMED, Event.REFUSED, Event.LOST, Event.SUCCEEDED, Event.FAILED)) {
                assertThat(ended.on(event)).as("%s + %s", ended, event).isEqualTo(ended);
            }
        }
        assertThat(SUCCEEDED.on(Event.RETRIED)).as("a success is never retried").isEqualTo(SUCCEEDED);
    }

    @Test
    void aShardIsStoredAsRunningFromPlacementUntilItsResult() {
        assertThat(PENDING.stored()).isEqualTo(io.tessera.core.model.RunStatus.PENDING);
        assertThat(DISPATCHED.stored()).isEqualTo(io.tessera.core.model.RunStatus.RUNNING);
        assertThat(RUNNING.stored()).isEqualTo(io.tessera.core.model.RunStatus.RUNNING);
        for (io.tessera.core.model.RunStatus status : List.of(io.tessera.core.model.RunStatus.SUCCEEDED,
                io.tessera.core.model.RunStatus.FAILED, io.tessera.core.model.RunStatus.TIMED_OUT,
                io.tessera.core.model.RunStatus.CANCELLED)) {
            assertThat(RUNNING.on(ShardState.resultOf(status)).stored()).isEqualTo(status);
        }
    }
}
