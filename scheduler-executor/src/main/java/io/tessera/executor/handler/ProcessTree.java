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

    /** Blocks up to about {@code grace}; keeps the caller's interrupt status. */
    public static void destroy(ProcessHandle root, Duration grace) {
        boolean interrupted = Thread.interrupted();
        try {
            // Snapshot the descendants first: once the root exits they are re-parented and out of reach.
            List<ProcessHandle> tree = members(root);
            tree.forEach(ProcessHandle::destroy);
            awaitExit(tree, grace);
            List<ProcessHandle> survivors = new ArrayList<>();
            for (ProcessHandle handle : tree) {
                if (handle.isAlive()) {
                    survivors.add(handle);
                    handle.descendants().forEach(survivors::add);
                }
            }
            survivors.forEach(ProcessHandle::destroyForcibly);
            awaitExit(survivors, Duration.ofSeconds(5));
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

    private static void awaitExit(List<ProcessHandle> handles, Duration wait) {
        if (handles.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the survivors get the forced kill
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
