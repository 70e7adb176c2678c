package io.tessera.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.List;

/**
 * An RFC 9457 problem document, the body of every API error ({@code application/problem+json}).
 * {@code field} names the input at fault when there is one; {@code errors} lists each one.
 *
 * @param type  a URN per kind of problem, e.g. {@code urn:tessera:problem:invalid-field}
 * @param field the first field at fault (dotted for nested fields, {@code body} for the body as a whole)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field,
                      List<FieldError> errors) {

    public static final MediaType MEDIA_TYPE = MediaType.APPLICATION_PROBLEM_JSON;

    /** One field at fault; {@code allowed} lists the accepted values where they are few (enums). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, List<String> allowed) {
    }

    public static Problem of(HttpStatus status, String slug, String detail) {
        return new Problem("urn:tessera:problem:" + slug, status.getReasonPhrase(), status.value(), detail, null, null, null);
    }

    public static Problem ofField(HttpStatus status, String slug, String field, String detail, List<String> allowed) {
        return new Problem("urn:tessera:problem:" + slug, status.getReasonPhrase(), status.value(), detail, null, field,
                List.of(new FieldError(field, detail, allowed)));
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, field, errors);
    }

    public ResponseEntity<Problem> toResponse() {
        return ResponseEntity.status(status).contentType(MEDIA_TYPE).body(this);
    }
}
