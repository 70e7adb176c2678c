package io.tessera.executor.report;

import io.tessera.core.wire.ShardResult;

/** A result waiting in the spool for its acknowledgement, with where it goes (null: the configured admin). */
public record SpooledReport(ShardResult result, String reportTo) {
}
