package io.tessera.core.validation;

import java.util.Objects;

/**
 * Bad input, rejected at the edge. Names the field at fault so that an API can say which one
 * ({@code accelerators.count}, {@code schedule.expression}, ...) and a person can fix it.
 */
public class ValidationException extends IllegalArgumentException {

    private final String field;

    public ValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public ValidationException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The input field at fault, dotted for nested fields. */
    public String field() {
        return field;
    }

    /** The message without the leading field name. */
    public String reason() {
        String message = getMessage();
        return message.substring(field.length() + 2);
    }
}
