package io.tessera.executor.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs handlers on as few threads as keep up, and on as many as they need when they block.
 *
 * <p>Work waits in one queue served by worker threads. A few threads ({@code base}) start as soon
 * as work arrives; beyond them, a new thread starts only when work has waited {@code stall} while
 * no thread took any: then one per waiting task, up to {@code max}. So a burst of a thousand short
 * handlers due at the same millisecond runs on a couple of threads, one after the other, without
 * waking a thousand parked threads (a pool with a thread per task wakes them all, and on two cores
 * the last start came tens of milliseconds late); handlers that block (a command waiting for its
 * process) each get a thread of their own within about {@code stall}. Threads idle longer than
 * {@code idle} end.
 */
public final class ElasticExecutor extends AbstractExecutorService {

    private final int base;
    private final int max;
    private final long stallNanos;
    private final long idleNanos;
    private final ThreadFactory factory;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService monitor;
    private final Object terminated = new Object();
    private volatile long lastTakeNanos = System.nanoTime();
    private volatile boolean shutdown;

    /**
     * @param base  threads that start with the first work, without waiting for a stall
     * @param max   most threads at once
     * @param stall how long work may wait untaken before more threads start
     * @param idle  how long a thread may wait for work before it ends
     */
    public ElasticExecutor(int base, int max, Duration stall, Duration idle, ThreadFactory factory) {
        if (base < 1 || max < base) {
            throw new IllegalArgumentException("need 1 <= base <= max, was base " + base + ", max " + max);
        }
        this.base = base;
        this.max = max;
        this.stallNanos = stall.toNanos();
        this.idleNanos = idle.toNanos();
        this.factory = factory;
        this.monitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tessera-workers-monitor");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1), stallNanos / 2);
        monitor.scheduleWithFixedDelay(this::watch, tick, tick, TimeUnit.NANOSECONDS);
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the agent is closing");
        }
        queue.add(task);
        if (waiting.get() == 0 && threads.size() < base) {
            startWorkers(1);
        }
    }

    /** Threads alive now, for tests and status. */
    public int threads() {
        return threads.size();
    }

    private synchronized void startWorkers(int count) {
        for (int i = 0; i < count && threads.size() < max && !shutdown; i++) {
            Thread worker = factory.newThread(this::work);
            threads.add(worker);
            worker.start();
        }
    }

    private void work() {
        try {
            while (!(shutdown && queue.isEmpty())) {
                waiting.incrementAndGet();
                Runnable task;
                try {
                    task = queue.poll(idleNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    if (shutdown) {
                        return;
                    }
                    continue;
                } finally {
                    waiting.decrementAndGet();
                }
                if (task == null) {
                    if (shutdown || queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                lastTakeNanos = System.nanoTime();
                try {
                    task.run();
                } finally {
                    // A handler's interrupt (a kill) must not leak into the next task on this thread.
                    Thread.interrupted();
                }
            }
        } finally {
            threads.remove(Thread.currentThread());
            if (shutdown && threads.isEmpty()) {
                synchronized (terminated) {
                    terminated.notifyAll();
                }
            }
        }
    }

    /** Every half stall: work that waits while no thread takes any gets threads of its own. */
    private void watch() {
        int queued = queue.size();
        if (queued > 0 && waiting.get() == 0 && System.nanoTime() - lastTakeNanos >= stallNanos) {
            startWorkers(queued);
        } else if (queued > 0 && threads.isEmpty()) {
            startWorkers(1);
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        monitor.shutdownNow();
        threads.forEach(thread -> {
            if (queue.isEmpty()) {
                thread.interrupt();
            }
        });
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        monitor.shutdownNow();
        List<Runnable> left = new ArrayList<>();
        queue.drainTo(left);
        threads.forEach(Thread::interrupt);
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && threads.isEmpty() && monitor.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!monitor.awaitTermination(timeout, unit)) {
            return false;
        }
        synchronized (terminated) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(terminated, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
        }
        return true;
    }
}
