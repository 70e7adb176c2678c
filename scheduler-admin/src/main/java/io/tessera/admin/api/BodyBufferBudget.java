package io.tessera.admin.api;

import java.util.concurrent.Semaphore;

/**
 * Bounds the bytes of request bodies held in memory at once by one endpoint. A body must be read
 * whole before its signature can be checked, so without this many concurrent unauthenticated
 * bodies, each under the size limit, could still fill the heap. A request that does not fit now is
 * answered at once (503) instead of waiting.
 */
final class BodyBufferBudget {

    private final Semaphore bytes;
    private final int total;

    BodyBufferBudget(int totalBytes) {
        this.total = totalBytes;
        this.bytes = new Semaphore(totalBytes);
    }

    /** @return the reservation, to close once the body is no longer needed; null when it does not fit now */
    Reservation tryReserve(int size) {
        int wanted = Math.max(1, Math.min(size, total));
        return bytes.tryAcquire(wanted) ? new Reservation(wanted) : null;
    }

    final class Reservation implements AutoCloseable {
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
