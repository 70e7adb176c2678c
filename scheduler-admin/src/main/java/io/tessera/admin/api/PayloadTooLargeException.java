package io.tessera.admin.api;

/** A request body longer than {@code tessera.api.max-body-bytes}, found while reading it. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
