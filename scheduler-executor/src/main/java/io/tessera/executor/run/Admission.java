package io.tessera.executor.run;

import io.tessera.core.wire.TriggerOutcome;

/** The runner's answer to a claimed shard. When {@code outcome} does not run, the caller gives the claim back. */
record Admission(TriggerOutcome outcome, String message) {
}
