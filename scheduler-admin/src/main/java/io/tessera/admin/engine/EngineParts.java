package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.admin.reconcile.RunNodes;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;

import java.time.Clock;
import java.util.function.Supplier;

/** What every term of this admin works with; {@code resultUrl} is where executors report to this admin. */
record EngineParts(JobStore jobs, RunStore runs, ExecutorDirectory directory, ExecutorClient executors, RunNodes nodes,
                   EngineSettings settings, EngineHealth health, Clock clock, Supplier<String> resultUrl) {
}
