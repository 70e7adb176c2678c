package io.tessera.executor.handler;

import io.tessera.core.model.RunStatus;

/**
 * What a handler says about its shard.
 *
 * @param exitCode a process exit code for command handlers, else null
 */
public record HandlerResult(RunStatus status, String message, Integer exitCode) {

    public HandlerResult {
        if (status == null || !status.isTerminal()) {
            throw new IllegalArgumentException("a handler result needs a terminal status, was " + status);
        }
        message = message == null ? "" : message;
    }

    public static HandlerResult succeeded() {
        return new HandlerResult(RunStatus.SUCCEEDED, "", null);
    }

    public static HandlerResult succeeded(String message) {
        return new HandlerResult(RunStatus.SUCCEEDED, message, null);
    }

    public static HandlerResult failed(String message) {
        return new HandlerResult(RunStatus.FAILED, message, null);
    }
}
