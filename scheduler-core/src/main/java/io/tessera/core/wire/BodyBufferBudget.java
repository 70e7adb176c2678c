package io.tessera.core.wire;

import java.util.concurrent.Semaphore;

/**
 * Bounds the bytes of request bodies held in memory at once by one endpoint (the admin's results
 * endpoint, the agent's endpoint). A body must be read
 * whole before its signature can be checked, so without this many concurrent unauthenticated
 * bodies, each under the size limit, could still fill the heap. A request that does not fit now is
 * answered at once (503) instead of waiting.
 */
public final class BodyBufferBudget {

    private final Semaphore bytes;
    private final int total;

    public BodyBufferBudget(int totalBytes) {
        this.total = totalBytes;
        this.bytes = new Semaphore(totalBytes);
    }

    /** @return the reservation, to close once the body is no longer needed; null when it does not fit now */
    public Reservation tryReserve(int size) {
        int wanted = Math.max(1, Math.min(size, total));
        return bytes.tryAcquire(wanted) ? new Reservation(wanted) : null;
    }

    public final class Reservation implements AutoCloseable {
        private final int size;
        private boolean released;

        private Reservation(int size) {
            this.size = size;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                bytes.release(size);
            }
        }
    }
}
