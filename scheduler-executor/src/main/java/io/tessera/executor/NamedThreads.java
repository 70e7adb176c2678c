package io.tessera.executor;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factory that names threads {@code prefix-N}, so every agent thread is recognisable in a dump. */
final class NamedThreads implements ThreadFactory {

    private final String prefix;
    private final boolean daemon;
    private final AtomicInteger count = new AtomicInteger();

    NamedThreads(String prefix, boolean daemon) {
        this.prefix = prefix;
        this.daemon = daemon;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
        thread.setDaemon(daemon);
        return thread;
    }
}
