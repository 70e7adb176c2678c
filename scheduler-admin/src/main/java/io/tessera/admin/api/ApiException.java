package io.tessera.admin.api;

import org.springframework.http.HttpStatus;

/** An API error with its status, kind and (optionally) the field at fault; rendered as a {@link Problem}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String field;

    public ApiException(HttpStatus status, String slug, String field, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.field = field;
    }

    public static ApiException notFound(String field, String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", field, what + " does not exist");
    }

    public static ApiException forbidden(String field, String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", field, detail);
    }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", field, detail);
    }

    public static ApiException invalid(String field, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-field", field, detail);
    }

    public Problem problem() {
        return field == null ? Problem.of(status, slug, getMessage()) : Problem.ofField(status, slug, field, getMessage(), null);
    }
}
