package io.tessera.admin.ui.runs;

import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobRun;

import java.util.List;
import java.util.Map;

/**
 * The runs grid's data: one page of runs with their jobs' names, and how many runs match, up to
 * {@value #MAX_ROWS}. Each call reads one page, or counts at most {@value #MAX_ROWS} index entries,
 * whatever the number of stored runs: the grid offers the newest {@value #MAX_ROWS} matches, and
 * older runs are reached by narrowing the filters (a time range, a job, a status).
 */
public final class RunPages {

    /** The most runs the grid offers for one filter; counting stops there, so paging stays cheap. */
    public static final int MAX_ROWS = 10_000;

    private final RunStore runs;
    private final JobNames jobNames;

    public RunPages(RunStore runs, JobStore jobs) {
        this.runs = runs;
        this.jobNames = new JobNames(jobs);
    }

    /** A run as the grid shows it. */
    public record Line(JobRun run, String jobName) {
    }

    /** Up to {@code limit} runs from {@code offset}, never past the {@value #MAX_ROWS} the grid offers. */
    public List<Line> page(RunFilter filter, int offset, int limit) {
        int rows = Math.max(0, Math.min(limit, MAX_ROWS - offset));
        if (rows == 0) {
            return List.of();
        }
        List<JobRun> page = runs.list(filter.jobId(), filter.status(), filter.from(), filter.to(), offset, rows);
        Map<Long, String> names = jobNames.of(page.stream().map(JobRun::jobId).distinct().toList());
        return page.stream().map(run -> new Line(run, names.get(run.jobId()))).toList();
    }

    /** How many runs match, at most {@value #MAX_ROWS}. */
    public int count(RunFilter filter) {
        return (int) runs.countUpTo(filter.jobId(), filter.status(), filter.from(), filter.to(), MAX_ROWS);
    }
}
