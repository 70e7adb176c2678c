package io.tessera.admin.fire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs due at a time, fired from memory: one wake-up armed for the earliest due time on the
 * engine's scheduler, re-armed as entries come and go. Confined to the engine thread.
 */
public final class FireTimer {

    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Consumer<List<Long>> fire;
    private final TreeMap<Long, List<Long>> due = new TreeMap<>();
    private final Map<Long, Long> dueAt = new HashMap<>();
    private ScheduledFuture<?> wake;
    private long wakeAt = Long.MAX_VALUE;

    /**
     * @param clock epoch milliseconds
     * @param fire  receives the run ids that came due, in due order
     */
    public FireTimer(ScheduledExecutorService scheduler, LongSupplier clock, Consumer<List<Long>> fire) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.fire = fire;
    }

    public void add(long runId, long atMillis) {
        if (dueAt.putIfAbsent(runId, atMillis) != null) {
            return;
        }
        due.computeIfAbsent(atMillis, at -> new ArrayList<>()).add(runId);
        if (atMillis < wakeAt) {
            arm(atMillis);
        }
    }

    public boolean remove(long runId) {
        Long at = dueAt.remove(runId);
        if (at == null) {
            return false;
        }
        List<Long> runs = due.get(at);
        runs.remove(runId);
        if (runs.isEmpty()) {
            due.remove(at);
        }
        return true;
    }

    public boolean contains(long runId) {
        return dueAt.containsKey(runId);
    }

    public int size() {
        return dueAt.size();
    }

    private void arm(long atMillis) {
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = atMillis;
        long delay = Math.max(0, atMillis - clock.getAsLong());
        wake = scheduler.schedule(this::onWake, delay, TimeUnit.MILLISECONDS);
    }

    private void onWake() {
        wake = null;
        wakeAt = Long.MAX_VALUE;
        long now = clock.getAsLong();
        List<Long> fired = new ArrayList<>();
        while (!due.isEmpty() && due.firstKey() <= now) {
            for (Long runId : due.pollFirstEntry().getValue()) {
                dueAt.remove(runId);
                fired.add(runId);
            }
        }
        if (!due.isEmpty()) {
            arm(due.firstKey());
        }
        if (!fired.isEmpty()) {
            fire.accept(fired);
        }
    }

    public void cancel() {
        if (wake != null) {
            wake.cancel(false);
        }
        due.clear();
        dueAt.clear();
    }
}
