package io.tessera.admin.engine;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;

/** What the engine is doing now, for health checks and the UI. Thread-safe. */
public final class EngineHealth {

    public enum Mode {
        /** This admin is not the leader; another one schedules. */
        FOLLOWER,
        /** Leading and scheduling. */
        SCHEDULING,
        /** Leading and scheduling, but behind: fires start late or work queues up; the reason says how much. */
        OVERLOADED,
        /** Leading, but paused: a dependency fails. */
        PAUSED
    }

    public record Status(Mode mode, String reason, Instant since) {
    }

    private final AtomicReference<Status> status = new AtomicReference<>(new Status(Mode.FOLLOWER, "not the leader", Instant.now()));
    private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();

    public Status status() {
        return status.get();
    }

    /** Hears every change, on the thread that made it; keep it short. */
    public void addListener(Consumer<Status> listener) {
        listeners.add(listener);
    }

    void set(Mode mode, String reason) {
        Status before = status.get();
        Status after = status.updateAndGet(current -> current.mode() == mode && current.reason().equals(reason)
                ? current : new Status(mode, reason, current.mode() == mode ? current.since() : Instant.now()));
        if (after != before) {
            listeners.forEach(listener -> listener.accept(after));
        }
    }
}
