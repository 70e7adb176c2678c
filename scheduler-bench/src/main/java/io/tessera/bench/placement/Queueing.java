package io.tessera.bench.placement;

/** How the wait queue (priority, then age) is walked when room may have appeared. */
public enum Queueing {
    /** Stop at the first run that does not fit: nothing overtakes it. */
    STRICT_FIFO("strict FIFO"),
    /** Every run that fits starts, in queue order; one that does not fit is skipped (the engine today). */
    FIFO_SKIP("FIFO, skip what does not fit"),
    /**
     * As {@link #FIFO_SKIP}, but every run that does not fit and whose shards need
     * {@link #RESERVE_FROM_DEVICES} or more devices holds the executors that, once drained, would
     * hold it ({@link io.tessera.core.placement.Reservation}); runs after it in the queue may only use
     * executors nobody holds (backfill with reservations).
     */
    RESERVE("backfill with reservation"),
    /**
     * As {@link #RESERVE}, with aging against starvation: a run that has waited {@link #AGE_HOURS}
     * goes ahead of every run that has waited less, whatever their priorities (aged runs oldest
     * first), and when it does not fit it reserves whatever the size of its shards. The engine knows
     * how long a run has waited, so it could do this; it does not know how long a run will last.
     */
    RESERVE_AGING("backfill with reservation and aging");

    /** Smaller runs do not reserve: they fit into the gaps that big runs leave. */
    public static final int RESERVE_FROM_DEVICES = 4;

    /** How long a run waits before aging puts it ahead of younger runs of any priority. */
    public static final double AGE_HOURS = 24;

    private final String label;

    Queueing(String label) {
        this.label = label;
    }

    /** Whether blocked runs hold executors (backfill with reservations). */
    public boolean reserves() {
        return this == RESERVE || this == RESERVE_AGING;
    }

    /** Whether long-waiting runs go first whatever their priority. */
    public boolean ages() {
        return this == RESERVE_AGING;
    }

    public String label() {
        return label;
    }
}
