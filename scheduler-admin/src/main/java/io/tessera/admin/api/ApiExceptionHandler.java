package io.tessera.admin.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tessera.admin.engine.CommandJobPolicy;
import io.tessera.admin.engine.DatabaseFailures;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.core.validation.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every failure of an API request into a {@code application/problem+json} answer that says
 * what is wrong and, for bad input, which field. Client input never gets a 500: anything that is
 * still unexpected is logged with its stack trace and answered with a 500 that says so.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Problem> api(ApiException e, HttpServletRequest request) {
        return e.problem().at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Problem> validation(ValidationException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.BAD_REQUEST, "invalid-field", e.field(), e.reason(), null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<Problem> duplicate(DuplicateKeyException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.CONFLICT, "conflict", "name", "a job with that name already exists", null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(CommandJobPolicy.RefusedException.class)
    ResponseEntity<Problem> commandJob(CommandJobPolicy.RefusedException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.FORBIDDEN, "forbidden", "handler", "only an ADMIN token may " + e.action()
                + "; this token is " + e.role(), null).at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(RunService.UnknownJobException.class)
    ResponseEntity<Problem> unknownJob(RunService.UnknownJobException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.NOT_FOUND, "not-found", "id", e.getMessage(), null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Problem> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "body", e.getMessage(), null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Problem> tooLargeUpload(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "body", e.getMessage(), null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        return unreadableBody(cause, e.getMessage()).at(request.getRequestURI()).toResponse();
    }

    static Problem unreadableBody(Throwable cause, String fallback) {
        HttpStatus bad = HttpStatus.BAD_REQUEST;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            List<String> known = unknown.getKnownPropertyIds() == null ? null
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return Problem.ofField(bad, "unknown-field", field, "'" + unknown.getPropertyName()
                    + "' is not a field of this object" + (known == null ? "" : "; known fields: " + String.join(", ", known)), known);
        }
        if (cause instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            List<String> allowed = Arrays.stream(invalid.getTargetType().getEnumConstants()).map(String::valueOf).toList();
            String field = path(invalid);
            return Problem.ofField(bad, "invalid-field", field, "'" + invalid.getValue() + "' is not one of "
                    + String.join(", ", allowed), allowed);
        }
        if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            String field = path(mismatched);
            String expected = mismatched.getTargetType() == null ? "another type" : describe(mismatched.getTargetType());
            List<String> allowed = mismatched.getTargetType() != null && mismatched.getTargetType().isEnum()
                    ? Arrays.stream(mismatched.getTargetType().getEnumConstants()).map(String::valueOf).toList() : null;
            return Problem.ofField(bad, "invalid-field", field, "has the wrong type: expected " + expected
                    + (allowed == null ? "" : " (one of " + String.join(", ", allowed) + ")"), allowed);
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            Throwable root = mapping.getCause() != null ? mapping.getCause() : mapping;
            String message = root instanceof ValidationException validation ? validation.reason()
                    : root instanceof JacksonException jackson ? jackson.getOriginalMessage() : root.getMessage();
            return Problem.ofField(bad, "invalid-field", path(mapping), message, null);
        }
        if (cause instanceof JsonParseException parse) {
            return Problem.ofField(bad, "malformed-json", "body", "the body is not valid JSON: " + parse.getOriginalMessage()
                    + " at line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr(), null);
        }
        if (cause instanceof JacksonException jackson) {
            return Problem.ofField(bad, "malformed-json", "body", "the body cannot be read: " + jackson.getOriginalMessage(), null);
        }
        String detail = fallback != null && fallback.startsWith("Required request body is missing")
                ? "a JSON body is required" : "the body cannot be read as JSON";
        return Problem.ofField(bad, "malformed-json", "body", detail, null);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Problem> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        Class<?> type = e.getRequiredType();
        List<String> allowed = type != null && type.isEnum()
                ? Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList() : null;
        String detail = "'" + e.getValue() + "' is not " + (type == null ? "valid" : describe(type))
                + (allowed == null ? "" : "; one of " + String.join(", ", allowed));
        return Problem.ofField(HttpStatus.BAD_REQUEST, "invalid-field", e.getName(), detail, allowed)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Problem> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.BAD_REQUEST, "missing-field", e.getParameterName(), "is required", null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Problem> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.BAD_REQUEST, "missing-field", e.getHeaderName(), "header is required", null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Problem> methodValidation(HandlerMethodValidationException e, HttpServletRequest request) {
        String fields = e.getParameterValidationResults().stream()
                .map(result -> result.getMethodParameter().getParameterName()).collect(Collectors.joining(", "));
        return Problem.ofField(HttpStatus.BAD_REQUEST, "invalid-field", fields, e.getMessage(), null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Problem> noSuchPath(NoResourceFoundException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.NOT_FOUND, "not-found", "path", "there is no endpoint at "
                + request.getRequestURI(), null).at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Problem> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        String allowed = e.getSupportedMethods() == null ? "" : "; allowed: " + String.join(", ", e.getSupportedMethods());
        ResponseEntity<Problem> response = Problem.ofField(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "method",
                e.getMethod() + " is not supported here" + allowed,
                e.getSupportedMethods() == null ? null : List.of(e.getSupportedMethods())).at(request.getRequestURI()).toResponse();
        return e.getSupportedHttpMethods() == null ? response
                : ResponseEntity.status(response.getStatusCode()).headers(h -> h.setAllow(e.getSupportedHttpMethods()))
                .contentType(Problem.MEDIA_TYPE).body(response.getBody());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Problem> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Content-Type",
                "'" + e.getContentType() + "' is not supported; send application/json", null)
                .at(request.getRequestURI()).toResponse();
    }

    /** A multipart Content-Type whose body cannot be parsed (no boundary): nothing here takes forms. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Problem> multipart(MultipartException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Content-Type",
                "'" + request.getContentType() + "' cannot be read (" + e.getMessage() + "); send application/json", null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Problem> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return Problem.ofField(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Accept",
                "this endpoint answers application/json (errors application/problem+json)", null)
                .at(request.getRequestURI()).toResponse();
    }

    /** The firewall refuses some values only when they are read (a header value with control characters). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Problem> rejected(RequestRejectedException e, HttpServletRequest request) {
        String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        String field = reason.contains("header") ? "headers" : reason.contains("parameter") ? "query" : "path";
        return Problem.ofField(HttpStatus.BAD_REQUEST, "rejected-request", field, e.getMessage(), null)
                .at(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof org.springframework.security.access.AccessDeniedException
                || e instanceof org.springframework.security.core.AuthenticationException) {
            throw e; // Spring Security's own filters answer these (401/403 problem documents).
        }
        if (DatabaseFailures.isRefusedData(e)) {
            log.info("{} {} refused by the database as bad input: {}", request.getMethod(), request.getRequestURI(),
                    DatabaseFailures.rootMessage(e));
            return RefusedData.problem(e).at(request.getRequestURI()).toResponse();
        }
        if (DatabaseFailures.isDatabaseFailure(e)) {
            log.warn("{} {} failed: the database is unavailable ({})", request.getMethod(), request.getRequestURI(), e.toString());
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "the database is unavailable; try again shortly")
                    .at(request.getRequestURI()).toResponse();
        }
        log.error("{} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "the admin failed to answer: " + e.getClass().getSimpleName()
                + "; see its log").at(request.getRequestURI()).toResponse();
    }

    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                String name = reference.getFieldName();
                // A name that is empty, blank or holds a separator is quoted, so that the path still names it.
                path.append(name.isBlank() || name.matches(".*[.\\[\\]\\s'].*") ? "'" + name.replace("'", "''") + "'" : name);
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type.isRecord()) {
            return "an object";
        }
        return type.getSimpleName();
    }
}
