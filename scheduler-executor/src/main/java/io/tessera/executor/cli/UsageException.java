package io.tessera.executor.cli;

/** A command line the agent cannot start with; the message says what is wrong. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
