package io.tessera.admin.engine;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What the engine is doing now, for health checks and the UI. Thread-safe. */
public final class EngineHealth {

    public enum Mode {
        /** This admin is not the leader; another one schedules. */
        FOLLOWER,
        /** Leading and scheduling. */
        SCHEDULING,
        /** Leading, but paused: a dependency fails. */
        PAUSED
    }

    public record Status(Mode mode, String reason, Instant since) {
    }

    private final AtomicReference<Status> status = new AtomicReference<>(new Status(Mode.FOLLOWER, "not the leader", Instant.now()));

    public Status status() {
        return status.get();
    }

    void set(Mode mode, String reason) {
        Status current = status.get();
        if (current.mode() != mode || !current.reason().equals(reason)) {
            status.set(new Status(mode, reason, Instant.now()));
        }
    }
}
