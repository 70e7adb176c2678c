package io.tessera.executor.run;

/** A trigger that is well-formed JSON but cannot be right for this agent (answered with HTTP 400). */
public final class BadTriggerException extends RuntimeException {

    public BadTriggerException(String message) {
        super(message);
    }
}
