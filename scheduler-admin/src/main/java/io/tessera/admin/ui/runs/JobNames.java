package io.tessera.admin.ui.runs;

import io.tessera.admin.store.JobStore;
import io.tessera.core.model.JobDefinition;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job names for a view's rows, looked up once per job rather than once per row: a page of runs
 * usually holds few distinct jobs. Per view (not shared between threads); a deleted job reads as
 * {@code job N (deleted)}.
 */
final class JobNames {

    static final int CAPACITY = 1_000;

    private final JobStore jobs;
    private final Map<Long, String> names = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > CAPACITY;
        }
    };

    JobNames(JobStore jobs) {
        this.jobs = jobs;
    }

    /** The names of these jobs, reading only those not seen before. */
    Map<Long, String> of(Collection<Long> jobIds) {
        Map<Long, String> found = new HashMap<>();
        for (Long id : jobIds) {
            found.computeIfAbsent(id, this::name);
        }
        return found;
    }

    String name(long jobId) {
        return names.computeIfAbsent(jobId, id -> jobs.find(id).map(JobDefinition::name).orElse("job " + id + " (deleted)"));
    }
}
