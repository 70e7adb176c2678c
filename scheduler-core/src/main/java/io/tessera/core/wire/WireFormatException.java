package io.tessera.core.wire;

/** Bytes that are not a valid message of the expected type or version. */
public class WireFormatException extends RuntimeException {

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public WireFormatException(String message) {
        super(message);
    }
}
