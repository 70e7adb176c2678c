package io.tessera.admin.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses, with a 415 naming {@code Content-Type}, a content type that Spring MVC would fail on
 * with a 500 before any handler runs: one that does not parse, a wildcard ({@code *}{@code /*}), or
 * {@code multipart/*} (the API takes JSON, and the results endpoint JSON bytes, never a form).
 */
public final class ContentTypeFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    public ContentTypeFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getContentType();
        String refusal = header == null || header.isBlank() ? null : refusal(header);
        if (refusal != null) {
            problems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Content-Type",
                    refusal + "; send application/json");
            return;
        }
        chain.doFilter(request, response);
    }

    static String refusal(String header) {
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            return "'" + header + "' is not a media type (" + e.getMessage() + ")";
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            return "'" + header + "' is a wildcard, not the type of a body";
        }
        if ("multipart".equalsIgnoreCase(type.getType())) {
            return "'" + header + "' is a form; this API takes JSON";
        }
        return null;
    }
}
