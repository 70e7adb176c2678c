package io.tessera.admin.dispatch;

/** Why a shard's log cannot be read now; the message says it for people. */
public final class ShardLogUnavailable extends RuntimeException {

    /** What went wrong, so that callers can answer each case their own way (an HTTP status, a notice). */
    public enum Reason {
        /** A bad offset or size; {@link #field()} names it. */
        INVALID_REQUEST,
        NO_SUCH_RUN,
        NO_SUCH_SHARD,
        /** The shard has no executor yet: nothing has written its log. */
        NOT_PLACED,
        /** The executor that ran the shard, and keeps its log, is not connected. */
        EXECUTOR_GONE,
        /** The executor has no log for the shard. */
        NO_SUCH_LOG,
        /** The executor failed, or did not answer in time. */
        EXECUTOR_FAILED,
        INTERRUPTED
    }

    private final Reason reason;
    private final String field;

    public ShardLogUnavailable(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public ShardLogUnavailable(Reason reason, String field, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.field = field;
    }

    /**
     * The failure a {@link ShardLogReader#read} future completed with, however the future wrapped it;
     * anything else (which it never completes with) reads as {@link Reason#EXECUTOR_FAILED}.
     */
    public static ShardLogUnavailable of(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof ShardLogUnavailable unavailable ? unavailable
                : new ShardLogUnavailable(Reason.EXECUTOR_FAILED, null, "reading the log failed: " + cause, cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The request parameter at fault ({@code offset}, {@code maxBytes}, {@code id}, {@code index}), or null. */
    public String field() {
        return field;
    }
}
