package io.tessera.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's last word on a request it refused itself, before any filter or servlet saw it (an
 * encoded slash, a header over the size limit, a character not allowed in a request target): a
 * problem document naming the part at fault, in place of Tomcat's HTML error page.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String reason = response.getMessage() != null && !response.getMessage().isBlank() ? response.getMessage()
                : throwable != null && throwable.getMessage() != null ? throwable.getMessage()
                : status != null ? status.getReasonPhrase() : "refused";
        Problem problem = Problem.ofField(status == null ? HttpStatus.BAD_REQUEST : status, "bad-request", field(reason),
                "the server refused the request before reading it: " + reason, null).at(request.getRequestURI());
        try {
            response.setStatus(code);
            response.setContentType(Problem.MEDIA_TYPE.toString());
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            getContainer().getLogger().debug("cannot write the problem document for a refused request", e);
        }
    }

    /** The part of the request Tomcat's reason is about. */
    static String field(String reason) {
        String text = reason.toLowerCase(Locale.ROOT);
        if (text.contains("header")) {
            return "headers";
        }
        if (text.contains("method")) {
            return "method";
        }
        if (text.contains("uri") || text.contains("request target") || text.contains("path") || text.contains("url")) {
            return "path";
        }
        if (text.contains("expect")) {
            return "Expect";
        }
        return "request";
    }
}
