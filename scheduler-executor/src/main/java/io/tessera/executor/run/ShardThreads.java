package io.tessera.executor.run;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The threads a runner uses; the agent makes and stops them.
 *
 * @param workers    run handlers, a thread each ({@link ShardWorkers})
 * @param startTimer starts shards at their fire time: one thread that does nothing else, so that a
 *                   start is never late behind other timed work
 * @param timers     timeouts and retries
 */
public record ShardThreads(Executor workers, ScheduledExecutorService startTimer, ScheduledExecutorService timers) {
}
