package io.tessera.admin.store;

/** A unique key was violated: a job name taken, a fire already recorded, a user that exists. */
public class DuplicateKeyException extends RuntimeException {

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
