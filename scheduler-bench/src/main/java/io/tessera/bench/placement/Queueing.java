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
    RESERVE("backfill with reservation");

    /** Smaller runs do not reserve: they fit into the gaps that big runs leave. */
    public static final int RESERVE_FROM_DEVICES = 4;

    private final String label;

    Queueing(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
