package io.tessera.admin.engine;

import io.tessera.core.model.RunStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A per-second cron job's fires second by second, from its first recorded fire to {@code last}:
 * each second either fired (a SUCCEEDED run that ran on an agent) or was skipped (no run, or a run
 * CANCELLED as missed). Fires that started more than the misfire threshold late are the ones a
 * misfire policy fired.
 *
 * @param skipped   fire times with no run, or a run cancelled as missed
 * @param firedLate runs that started on the agent more than the misfire threshold after their fire time
 */
record FireTimeline(List<Instant> skipped, List<AdminDatabase.Run> firedLate) {

    /** Classifies each second up to {@code last}; fails on a recorded fire neither SUCCEEDED nor cancelled missed. */
    static FireTimeline of(List<AdminDatabase.Run> runs, Agents agents, Instant last, Duration misfireThreshold) {
        Map<Instant, AdminDatabase.Run> byTime = runs.stream()
                .collect(Collectors.toMap(AdminDatabase.Run::at, Function.identity()));
        List<Instant> skipped = new ArrayList<>();
        List<AdminDatabase.Run> firedLate = new ArrayList<>();
        for (Instant at = runs.get(0).at(); !at.isAfter(last); at = at.plusSeconds(1)) {
            AdminDatabase.Run run = byTime.get(at);
            if (run == null || run.status() == RunStatus.CANCELLED) {
                if (run != null) {
                    assertThat(run.message()).as("cancelled fire %s", run).contains("missed");
                }
                skipped.add(at);
                continue;
            }
            assertThat(run.status()).as("fire %s", run).isEqualTo(RunStatus.SUCCEEDED);
            List<Agents.Invocation> ran = agents.of(run.id());
            assertThat(ran).as("fire %s ran once on the agent", run).hasSize(1);
            if (ran.get(0).startedMillis() - at.toEpochMilli() > misfireThreshold.toMillis()) {
                firedLate.add(run);
            }
        }
        return new FireTimeline(skipped, firedLate);
    }
}
