package io.tessera.executor.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ends a process and every descendant: a polite signal first, then a forced kill after the grace. */
public final class ProcessTree {

    private ProcessTree() {
    }

    /** Blocks up to about {@code grace}, which no interrupt shortens; keeps the caller's interrupt status. */
    public static void destroy(ProcessHandle root, Duration grace) {
        destroy(root, grace, grace);
    }

    /**
     * Blocks up to about {@code grace}; an interrupt before or during it (someone cannot wait that
     * long) cuts what is left of it to {@code graceOnInterrupt}. Keeps the caller's interrupt status.
     */
    public static void destroy(ProcessHandle root, Duration grace, Duration graceOnInterrupt) {
        boolean interrupted = Thread.interrupted();
        try {
            // Snapshot the descendants first: once the root exits they are re-parented and out of reach.
            List<ProcessHandle> tree = members(root);
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + (interrupted ? min(grace, graceOnInterrupt) : grace).toNanos();
            if (!awaitExit(tree, Duration.ofNanos(deadline - System.nanoTime()))) {
                interrupted = true;
                long left = deadline - System.nanoTime();
                awaitExitUninterruptibly(tree, Duration.ofNanos(Math.min(left, graceOnInterrupt.toNanos())));
            }
            List<ProcessHandle> survivors = new ArrayList<>();
            for (ProcessHandle handle : tree) {
                if (handle.isAlive()) {
                    survivors.add(handle);
                    handle.descendants().forEach(survivors::add);
                }
            }
            survivors.forEach(ProcessHandle::destroyForcibly);
            awaitExitUninterruptibly(survivors, Duration.ofSeconds(5));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<ProcessHandle> members(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        root.descendants().forEach(tree::add);
        tree.add(root);
        return tree;
    }

    /** False when interrupted while waiting; the interrupt status is then cleared, for the caller to restore. */
    private static boolean awaitExit(List<ProcessHandle> handles, Duration wait) {
        if (handles.isEmpty() || wait.isNegative() || wait.isZero()) {
            return true;
        }
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the survivors get the forced kill
        } catch (InterruptedException e) {
            return false;
        }
        return true;
    }

    /** Waits out {@code wait} even through further interrupts, which the caller restores. */
    private static void awaitExitUninterruptibly(List<ProcessHandle> handles, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!awaitExit(handles, Duration.ofNanos(deadline - System.nanoTime()))) {
            // interrupted again: the wait is already as short as it gets
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
