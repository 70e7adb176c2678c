package io.tessera.admin.dispatch;

import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends triggers to executors in batches, with a bound on the batches in flight per executor:
 * what is sent while an executor's bound is reached waits, merged into the next batches, so a slow
 * executor gets fewer, larger requests instead of a pile of concurrent ones that would all time out
 * together. Thread-safe.
 */
public final class TriggerDispatcher {

    /** Hears how each batch went; called on the HTTP client's threads, once per batch. */
    public interface Replies {
        /**
         * @param reply null when the batch failed (timeout, connection, HTTP error: {@code error})
         */
        void answered(String address, List<TriggerRequest> sent, TriggerBatchReply reply, Throwable error);
    }

    private final ExecutorClient client;
    private final int maxInFlight;
    private final Replies replies;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();

    /** @param maxInFlight batches one executor may have unanswered at once */
    public TriggerDispatcher(ExecutorClient client, int maxInFlight, Replies replies) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.client = client;
        this.maxInFlight = maxInFlight;
        this.replies = replies;
    }

    /** Queues these triggers for the executor at {@code address} and sends what its bound allows. */
    public void send(String address, List<TriggerRequest> triggers) {
        if (triggers.isEmpty()) {
            return;
        }
        Lane lane = lanes.computeIfAbsent(address, Lane::new);
        synchronized (lane) {
            lane.waiting.addAll(triggers);
        }
        queued.addAndGet(triggers.size());
        pump(lane);
    }

    /** Triggers waiting for a free batch, over every executor. */
    public int queued() {
        return queued.get();
    }

    /** Forgets an executor's waiting triggers (it left); returns them so the caller can place them elsewhere. */
    public List<TriggerRequest> drop(String address) {
        Lane lane = lanes.remove(address);
        if (lane == null) {
            return List.of();
        }
        synchronized (lane) {
            List<TriggerRequest> dropped = new ArrayList<>(lane.waiting);
            lane.waiting.clear();
            queued.addAndGet(-dropped.size());
            return dropped;
        }
    }

    private void pump(Lane lane) {
        while (true) {
            List<TriggerRequest> batch;
            synchronized (lane) {
                if (lane.inFlight >= maxInFlight || lane.waiting.isEmpty()) {
                    return;
                }
                int size = Math.min(TriggerBatch.MAX_TRIGGERS, lane.waiting.size());
                batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add(lane.waiting.poll());
                }
                lane.inFlight++;
            }
            queued.addAndGet(-batch.size());
            send(lane, batch);
        }
    }

    private void send(Lane lane, List<TriggerRequest> batch) {
        client.triggerAll(lane.address, batch).whenComplete((reply, error) -> {
            synchronized (lane) {
                lane.inFlight--;
            }
            try {
                replies.answered(lane.address, batch, reply, error);
            } finally {
                pump(lane);
            }
        });
    }

    private static final class Lane {
        final String address;
        final ArrayDeque<TriggerRequest> waiting = new ArrayDeque<>();
        int inFlight;

        Lane(String address) {
            this.address = address;
        }
    }
}
