package io.tessera.admin.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;

/**
 * The pass criteria for one answer. Never a 5xx, and never silence. On the admin's API every 4xx
 * is {@code application/problem+json} whose {@code field} names the input at fault (a body field,
 * a parameter, a header such as {@code Authorization} or {@code Content-Type}, or {@code path},
 * {@code method}, {@code body}). On the admin↔executor wire (the agent, and the admin's results
 * endpoint when its own code refuses) every 4xx is an {@code ErrorReply}: {@code application/json}
 * with {@code v}, a stable {@code error} word and a {@code message} that names what is at fault
 * (see {@link #namesWhatIsAtFault}).
 */
final class ReplyCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WIRE_ERRORS = Set.of("bad_request", "unauthorized", "not_found", "method_not_allowed",
            "no_log", "malformed", "payload_too_large", "expectation_failed");

    private ReplyCheck() {
    }

    /** Why the admin API's answer breaks the criteria, or null when it meets them. */
    static String api(RawHttp.Request request, RawHttp.Response response) {
        String basic = basic(response);
        if (basic != null || response.status() < 400 || !reachesApi(request.target())) {
            return basic;
        }
        String type = response.header("Content-Type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return "a " + response.status() + " that is not application/problem+json";
        }
        if (request.method().equals("HEAD")) {
            return null;
        }
        JsonNode problem = parse(response);
        if (problem == null || !problem.isObject()) {
            return "a problem document that is not a JSON object";
        }
        if (problem.path("status").asInt() != response.status()) {
            return "a problem document whose status is not the answer's";
        }
        if (problem.path("field").asText("").isBlank()) {
            return "a problem document that names no field";
        }
        return null;
    }

    /** The results endpoint is the wire inside the admin's API space: checked as the wire while the path stays there. */
    static String results(RawHttp.Request request, RawHttp.Response response) {
        return reachesApi(request.target()) ? wire(request, response) : basic(response);
    }

    /** Why an admin↔executor wire answer breaks the criteria, or null when it meets them. */
    static String wire(RawHttp.Request request, RawHttp.Response response) {
        String basic = basic(response);
        if (basic != null || response.status() < 400) {
            return basic;
        }
        String type = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/problem+json")) {
            return api(request, response);
        }
        if (!type.startsWith("application/json")) {
            return "a " + response.status() + " that is neither an ErrorReply (application/json) nor a problem document";
        }
        if (request.method().equals("HEAD")) {
            return null;
        }
        JsonNode reply = parse(response);
        if (reply == null || reply.path("v").asInt() < 1 || !WIRE_ERRORS.contains(reply.path("error").asText())) {
            return "a " + response.status() + " that is not an ErrorReply {v, error, message} with a known error word";
        }
        String message = reply.path("message").asText("");
        if (!namesWhatIsAtFault(message)) {
            return "an ErrorReply whose message does not name what is at fault";
        }
        return null;
    }

    /**
     * What "names the field" means for an {@code ErrorReply}, which has no field member: its message
     * names a JSON field or query parameter ({@code field 'runId'}, {@code parameter 'shard'}), a
     * header ({@code X-Tessera-Signature}, {@code X-Tessera-Timestamp}, {@code header 'Expect'}), or the part of the request at
     * fault as a whole: its {@code body}, its {@code path}, its {@code query string}, its method ({@code use POST}) or the
     * request itself when it is not valid HTTP.
     */
    static boolean namesWhatIsAtFault(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("field '") || text.contains("parameter '") || text.contains("header '") || text.contains("x-tessera-")
                || text.contains("signature") || text.contains("timestamp") || text.contains("body")
                || text.contains("path") || text.contains("query string") || text.startsWith("use ") || text.contains("http request")
                || text.contains("no log for run");
    }

    /**
     * Whether the path, as the server resolves it, is under {@code /api/}. A path trick can move a
     * request out of the API ({@code /API/V1/JOBS}, {@code /api/v1/../../x}) into the UI's space,
     * whose refusals are the UI's (a login redirect, Boot's error document); there only the
     * no-5xx rule applies.
     */
    static boolean reachesApi(String target) {
        String path = target.startsWith("http://") ? target.substring(Math.max(0, target.indexOf('/', "http://".length()))) : target;
        int query = path.indexOf('?');
        path = (query < 0 ? path : path.substring(0, query)).replace("%2e", ".").replace("%2E", ".");
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : path.split("/")) {
            String segment = raw.contains(";") ? raw.substring(0, raw.indexOf(';')) : raw;
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return "api".equals(segments.peekFirst());
    }

    private static String basic(RawHttp.Response response) {
        if (response.status() == 0) {
            return "the connection closed without an answer";
        }
        if (response.status() >= 500) {
            return "a server error";
        }
        return null;
    }

    private static JsonNode parse(RawHttp.Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }
}
