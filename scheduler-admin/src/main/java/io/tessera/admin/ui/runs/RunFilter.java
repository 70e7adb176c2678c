package io.tessera.admin.ui.runs;

import io.tessera.core.model.RunStatus;

import java.time.Instant;

/**
 * Which runs the runs grid shows; a null part means "any".
 *
 * @param from scheduled at or after, inclusive
 * @param to   scheduled before, exclusive
 */
public record RunFilter(Long jobId, RunStatus status, Instant from, Instant to) {

    public static final RunFilter ANY = new RunFilter(null, null, null, null);
}
