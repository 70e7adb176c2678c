package io.tessera.core.model;

/** Why a run exists. Part of the run's unique key together with the job and the scheduled time. */
public enum TriggerKind {
    CRON,
    FIXED_RATE,
    MANUAL,
    API,
    RETRY,
    CHILD
}
