package io.tessera.executor.run;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The threads that run handlers ({@link ElasticExecutor}): a couple of them take a burst of short
 * handlers one after the other; a handler that blocks gets a thread of its own within
 * {@link #STALL}; at most {@code slots} threads, let go after a minute idle.
 */
public final class ShardWorkers {

    static final Duration IDLE = Duration.ofSeconds(60);
    /** How long due shards may wait while every thread is busy before more threads start. */
    static final Duration STALL = Duration.ofMillis(10);

    private ShardWorkers() {
    }

    public static ExecutorService pool(int slots, ThreadFactory threads) {
        int base = Math.min(slots, Math.max(2, Runtime.getRuntime().availableProcessors()));
        return new ElasticExecutor(base, slots, STALL, IDLE, threads);
    }
}
