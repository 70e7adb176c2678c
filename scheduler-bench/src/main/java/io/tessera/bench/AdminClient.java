package io.tessera.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The admin's HTTP API and {@code /actuator/health}, as a client with an API token sees them. Every call has a timeout. */
final class AdminClient {

    /** One reading of {@code /actuator/health}: its status (or {@code NO_ANSWER}) and the body. */
    record Health(String status, String body) {

        /** What the engine component says (mode and reason, with the queue depths), else the body, abbreviated. */
        String detail() {
            try {
                JsonNode engine = JSON.readTree(body).path("components").path("engine").path("details");
                if (engine.has("reason")) {
                    return status + ": engine " + engine.path("mode").asText() + ", " + abbreviate(engine.path("reason").asText());
                }
            } catch (IOException e) {
                // not JSON: the body as it is
            }
            return status + ": " + abbreviate(body);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;

    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    URI base() {
        return base;
    }

    Health health(Duration timeout) {
        try {
            // With the token: without one the admin shows the status only, not the engine's details.
            HttpResponse<String> response = http.send(authorized("/actuator/health").timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String status = JSON.readTree(response.body()).path("status").asText("HTTP_" + response.statusCode());
            return new Health(status, response.body());
        } catch (IOException e) {
            return new Health("NO_ANSWER", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health("NO_ANSWER", "interrupted");
        }
    }

    /** Creates a job through {@code POST /api/v1/jobs}; returns its id. */
    long createJob(String name, String group, String cron, String handler, int shards)
            throws IOException, InterruptedException {
        ObjectNode job = JSON.createObjectNode();
        job.put("name", name);
        job.put("group", group);
        job.putObject("schedule").put("type", "CRON").put("expression", cron).put("timezone", "UTC");
        job.put("handler", handler);
        job.put("shards", shards);
        HttpResponse<String> response = http.send(authorized("/api/v1/jobs").timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(job))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST /api/v1/jobs for " + name + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return JSON.readTree(response.body()).path("id").asLong();
    }

    /** Pauses a job through {@code POST /api/v1/jobs/{id}/pause}: it stops firing, runs under way go on. */
    void pauseJob(long id) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(authorized("/api/v1/jobs/" + id + "/pause").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST /api/v1/jobs/" + id + "/pause answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
    }

    /** Live executors of {@code group} that the admin lists, or empty when it does not answer. */
    Optional<Integer> executors(String group) {
        try {
            HttpResponse<String> response = http.send(authorized("/api/v1/executors").timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            int count = 0;
            for (JsonNode executor : JSON.readTree(response.body())) {
                count += group.equals(executor.path("group").asText()) ? 1 : 0;
            }
            return Optional.of(count);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    }

    static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
