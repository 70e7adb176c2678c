package io.tessera.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;

import java.io.IOException;

/** Writes a problem document straight to the response, for answers given before Spring MVC runs. */
public final class ProblemWriter {

    private final ObjectMapper json;

    public ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
                      String field, String detail) throws IOException {
        Problem problem = (field == null ? Problem.of(status, slug, detail) : Problem.ofField(status, slug, field, detail, null))
                .at(request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(Problem.MEDIA_TYPE.toString());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"tessera\"");
        }
        json.writeValue(response.getOutputStream(), problem);
    }

    /**
     * Answers a request whose body will not be read, and closes the connection after it: the answer
     * has a {@code Content-Length} and is flushed at once, so that it reaches the client whole even
     * when the server then drops the connection instead of reading the rest of a large body.
     */
    public void writeAndClose(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
                              String field, String detail) throws IOException {
        Problem problem = (field == null ? Problem.of(status, slug, detail) : Problem.ofField(status, slug, field, detail, null))
                .at(request.getRequestURI());
        byte[] body = json.writeValueAsBytes(problem);
        response.setStatus(status.value());
        response.setContentType(Problem.MEDIA_TYPE.toString());
        response.setHeader("Connection", "close");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
