package io.tessera.admin.fire;

import io.tessera.core.model.JobDefinition;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * For every scheduled job, the next fire time not yet recorded, in a queue ordered by that time, so
 * that each planning pass touches only the jobs that come due within the look-ahead.
 * Confined to the engine thread.
 */
final class JobCursors {

    /** A job and the fire time after which nothing is recorded yet. */
    static final class Cursor {
        final JobDefinition job;
        Instant after;
        Instant next;

        Cursor(JobDefinition job, Instant after) {
            this.job = job;
            this.after = after;
            this.next = job.schedule().nextFireTime(after).orElse(null);
        }

        void advanceTo(Instant recorded) {
            after = recorded;
            next = job.schedule().nextFireTime(recorded).orElse(null);
        }
    }

    private final Map<Long, Cursor> byJob = new HashMap<>();
    private final PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> a.next.compareTo(b.next));

    void put(JobDefinition job, Instant after) {
        remove(job.id());
        Cursor cursor = new Cursor(job, after);
        byJob.put(job.id(), cursor);
        if (cursor.next != null) {
            queue.add(cursor);
        }
    }

    void remove(long jobId) {
        Cursor cursor = byJob.remove(jobId);
        if (cursor != null) {
            queue.remove(cursor);
        }
    }

    Optional<Cursor> get(long jobId) {
        return Optional.ofNullable(byJob.get(jobId));
    }

    /** The cursor with the earliest next fire time if it is not after {@code horizon}; it is taken off the queue. */
    Optional<Cursor> pollDue(Instant horizon) {
        Cursor head = queue.peek();
        if (head == null || head.next.isAfter(horizon)) {
            return Optional.empty();
        }
        return Optional.of(queue.poll());
    }

    /** The earliest next fire time of any job, or null when none is scheduled. */
    Instant earliestNext() {
        Cursor head = queue.peek();
        return head == null ? null : head.next;
    }

    /** Puts a polled cursor back after it was advanced. */
    void requeue(Cursor cursor) {
        if (cursor.next != null && byJob.get(cursor.job.id()) == cursor) {
            queue.add(cursor);
        }
    }

    List<Cursor> all() {
        return List.copyOf(byJob.values());
    }

    int size() {
        return byJob.size();
    }
}
