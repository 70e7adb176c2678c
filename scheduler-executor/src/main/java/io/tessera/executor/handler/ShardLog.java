package io.tessera.executor.handler;

/** Lines a handler writes to its shard's log file, which the admin reads through the agent's endpoint. */
public interface ShardLog {

    /** Appends one line; {@code {}} placeholders are replaced by the arguments, as in SLF4J. */
    void info(String format, Object... args);

    /** Appends one line and the stack trace of {@code error}. */
    void error(String message, Throwable error);
}
