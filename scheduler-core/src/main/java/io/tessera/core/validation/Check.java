package io.tessera.core.validation;

import java.util.regex.Pattern;

/** Small argument checks that throw {@link ValidationException} naming the field. */
public final class Check {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Check() {
    }

    public static String notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, "must not be empty");
        }
        return value;
    }

    /**
     * A name that is safe as a ZooKeeper path segment, a file name and a URL segment: letters,
     * digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters.
     */
    public static String name(String field, String value) {
        notBlank(field, value);
        if (!NAME.matcher(value).matches()) {
            throw new ValidationException(field, "'" + value + "' is not a valid name: use letters, digits,"
                    + " '.', '_' and '-', start with a letter or digit, at most 128 characters");
        }
        return value;
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ValidationException(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ValidationException(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }
}
