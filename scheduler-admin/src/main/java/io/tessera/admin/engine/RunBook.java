package io.tessera.admin.engine;

import io.tessera.core.model.JobRun;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs of one term: recorded fires waiting for their time, runs being driven, the runs that
 * wait for room (oldest first), and the runs finished this term. Confined to the engine thread.
 */
final class RunBook {

    private static final int FINISHED_REMEMBERED = 100_000;

    private final Map<Long, JobRun> scheduled = new HashMap<>();
    private final Map<Long, ActiveRun> active = new HashMap<>();
    private final LinkedHashMap<Long, ActiveRun> waiting = new LinkedHashMap<>();
    /** Driven runs of preemptible jobs that need devices. */
    private int preemptible;
    /** Finished here: until the writer has stored their status, the database still lists them as open. */
    private final Set<Long> finished = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > FINISHED_REMEMBERED;
        }
    });

    /** Whether this term knows the run already (scheduled, driven, or finished). */
    boolean knows(long runId) {
        return scheduled.containsKey(runId) || active.containsKey(runId) || finished.contains(runId);
    }

    /** @return false when the run is known already */
    boolean schedule(JobRun run) {
        if (knows(run.id())) {
            return false;
        }
        scheduled.put(run.id(), run);
        return true;
    }

    JobRun unschedule(long runId) {
        return scheduled.remove(runId);
    }

    List<JobRun> scheduledOf(long jobId) {
        return scheduled.values().stream().filter(run -> run.jobId() == jobId).toList();
    }

    /** @return false when the run is driven or finished already */
    boolean activate(ActiveRun run) {
        if (active.containsKey(run.id()) || finished.contains(run.id())) {
            return false;
        }
        scheduled.remove(run.id());
        active.put(run.id(), run);
        if (preemptibleWithDevices(run)) {
            preemptible++;
        }
        return true;
    }

    private static boolean preemptibleWithDevices(ActiveRun run) {
        return run.job.preemptible() && run.job.needsAccelerators();
    }

    /** Whether any run driven now may be preempted for its priority: when none, nobody looks for victims. */
    boolean anyPreemptible() {
        return preemptible > 0;
    }

    ActiveRun active(long runId) {
        return active.get(runId);
    }

    boolean isActive(long runId) {
        return active.containsKey(runId);
    }

    Collection<ActiveRun> active() {
        return List.copyOf(active.values());
    }

    void finish(ActiveRun run) {
        if (active.remove(run.id()) != null && preemptibleWithDevices(run)) {
            preemptible--;
        }
        waiting.remove(run.id());
        finished.add(run.id());
    }

    void finishScheduled(long runId) {
        scheduled.remove(runId);
        finished.add(runId);
    }

    void waitForRoom(ActiveRun run) {
        waiting.putIfAbsent(run.id(), run);
    }

    boolean isWaiting(long runId) {
        return waiting.containsKey(runId);
    }

    void stopWaiting(long runId) {
        waiting.remove(runId);
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    List<ActiveRun> waiting() {
        return new ArrayList<>(waiting.values());
    }

    /** Every run this term schedules or drives: what a sweep of old nodes must leave alone. */
    Set<Long> openIds() {
        Set<Long> ids = new HashSet<>(scheduled.keySet());
        ids.addAll(active.keySet());
        return ids;
    }

    /** Every run this term knows, finished ones included: what reconciliation must not take over. */
    Set<Long> knownIds() {
        Set<Long> ids = openIds();
        ids.addAll(finished);
        return ids;
    }

    int scheduledCount() {
        return scheduled.size();
    }

    int activeCount() {
        return active.size();
    }
}
