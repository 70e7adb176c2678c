package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;

import java.time.Clock;

/** What an engine session works with. */
record EngineContext(JobStore jobs, RunStore runs, ExecutorDirectory directory, ExecutorClient executors,
                     RunNodes nodes, EngineSettings settings, EngineHealth health, Clock clock) {
}
