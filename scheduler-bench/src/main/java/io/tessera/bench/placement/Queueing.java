package io.tessera.bench.placement;

/** How the wait queue (priority, then age) is walked when room may have appeared. */
public enum Queueing {
    /** Stop at the first run that does not fit: nothing overtakes it. */
    STRICT_FIFO("strict FIFO"),
    /** Every run that fits starts, in queue order; one that does not fit is skipped (the engine today). */
    FIFO_SKIP("FIFO, skip what does not fit"),
    /**
     * As {@link #FIFO_SKIP}, but the first run that does not fit reserves the executors that alone
     * could hold it once drained; later runs may only use the others (backfill with a reservation).
     */
    RESERVE("backfill with reservation");

    private final String label;

    Queueing(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
