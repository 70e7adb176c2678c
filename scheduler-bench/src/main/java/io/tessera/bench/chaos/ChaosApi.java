package io.tessera.bench.chaos;

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

/** One admin's HTTP API, as a client sees it. Every call has a short timeout: admins die here. */
final class ChaosApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    ChaosApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    boolean up() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The leader this admin names in {@code GET /api/v1/cluster}, if it answers and names one. */
    Optional<String> leader() {
        try {
            JsonNode cluster = get("/api/v1/cluster");
            String id = cluster.path("leader").asText("");
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    int executors() {
        try {
            return get("/api/v1/executors").size();
        } catch (IOException e) {
            return -1;
        }
    }

    long createJob(ObjectNode job) throws IOException {
        HttpResponse<String> r = send(request("/api/v1/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(job.toString())));
        if (r.statusCode() != 201) {
            throw new IOException("POST /api/v1/jobs answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asLong();
    }

    void pause(long jobId) throws IOException {
        HttpResponse<String> r = send(request("/api/v1/jobs/" + jobId + "/pause").POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("pausing job " + jobId + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** {@code POST /jobs/{id}/trigger} with an idempotency key; the run id on 202. */
    long trigger(long jobId, String key) throws IOException {
        HttpResponse<String> r = send(request("/api/v1/jobs/" + jobId + "/trigger").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 202) {
            throw new IOException("trigger of job " + jobId + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("runId").asLong();
    }

    private JsonNode get(String path) throws IOException {
        HttpResponse<String> r = send(request(path).GET());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
