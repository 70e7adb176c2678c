package io.tessera.admin.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tessera.admin.fuzz.HostileValues.field;
import static io.tessera.admin.fuzz.HostileValues.number;
import static io.tessera.admin.fuzz.HostileValues.quote;
import static io.tessera.admin.fuzz.HostileValues.text;

/**
 * Requests to every endpoint of the admin's REST API ({@link #ENDPOINTS}, checked against the
 * OpenAPI document by the suite): the right method or a wrong one, hostile path ids and query
 * values, bodies that are plausible, hostile, deep or not JSON, and header tricks, with a valid
 * token, a weaker one, a broken one or none.
 */
final class AdminApiRequests {

    enum Body { NONE, JOB, TRIGGER, TOKEN }

    record Endpoint(String method, String template, Body body, List<String> query) {
        String key() {
            return method + " " + template;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/jobs", Body.JOB, List.of()),
            new Endpoint("GET", "/api/v1/jobs", Body.NONE, List.of("name", "offset", "limit")),
            new Endpoint("GET", "/api/v1/jobs/{id}", Body.NONE, List.of()),
            new Endpoint("PUT", "/api/v1/jobs/{id}", Body.JOB, List.of()),
            new Endpoint("DELETE", "/api/v1/jobs/{id}", Body.NONE, List.of()),
            new Endpoint("POST", "/api/v1/jobs/{id}/pause", Body.NONE, List.of()),
            new Endpoint("POST", "/api/v1/jobs/{id}/resume", Body.NONE, List.of()),
            new Endpoint("POST", "/api/v1/jobs/{id}/trigger", Body.TRIGGER, List.of()),
            new Endpoint("GET", "/api/v1/runs", Body.NONE, List.of("jobId", "status", "offset", "limit")),
            new Endpoint("GET", "/api/v1/runs/{id}", Body.NONE, List.of()),
            new Endpoint("POST", "/api/v1/runs/{id}/cancel", Body.NONE, List.of()),
            new Endpoint("GET", "/api/v1/runs/{id}/shards/{index}/log", Body.NONE, List.of("offset", "maxBytes")),
            new Endpoint("POST", "/api/v1/tokens", Body.TOKEN, List.of()),
            new Endpoint("GET", "/api/v1/tokens", Body.NONE, List.of()),
            new Endpoint("DELETE", "/api/v1/tokens/{id}", Body.NONE, List.of()),
            new Endpoint("GET", "/api/v1/executors", Body.NONE, List.of()),
            new Endpoint("GET", "/api/v1/cluster", Body.NONE, List.of()),
            new Endpoint("GET", "/api/v1/quotas", Body.NONE, List.of()));

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
            "PROPFIND", "FOO", "get");

    private final FuzzCluster cluster;
    private final List<String> realIds;

    /** @param realIds ids that exist (jobs, runs) so that requests also reach the code behind the lookup */
    AdminApiRequests(FuzzCluster cluster, List<String> realIds) {
        this.cluster = cluster;
        this.realIds = List.copyOf(realIds);
    }

    Arbitrary<RawHttp.Request> requests() {
        Arbitrary<Endpoint> endpoint = Arbitraries.of(ENDPOINTS);
        return endpoint.flatMap(this::request);
    }

    private Arbitrary<RawHttp.Request> request(Endpoint endpoint) {
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(endpoint.method())),
                Tuple.of(2, Arbitraries.of(METHODS)));
        Arbitrary<String> path = Combinators.combine(HostileValues.pathId(Arbitraries.of(realIds)),
                HostileValues.pathId(Arbitraries.of("0", "1")), HostileValues.pathTrick())
                .as((id, index, trick) -> trick.apply(endpoint.template()
                        .replace("{id}", safeId(endpoint, id)).replace("{index}", index)));
        Arbitrary<String> target = Combinators.combine(path, query(endpoint.query())).as(String::concat);
        return Combinators.combine(method, target, body(endpoint.body()), authorization(), headers())
                .as((m, t, b, auth, extra) -> {
                    List<RawHttp.Header> headers = new ArrayList<>(auth);
                    headers.addAll(extra);
                    return new RawHttp.Request(m, t, headers, b);
                });
    }

    /** Never a token this suite signs in with: revoking it would leave the rest of the run without a valid token. */
    private String safeId(Endpoint endpoint, String id) {
        if (endpoint.template().startsWith("/api/v1/tokens")) {
            try {
                if (cluster.isOwnToken(Long.parseLong(id))) {
                    return "999999";
                }
            } catch (NumberFormatException e) {
                return id;
            }
        }
        return id;
    }

    private static Arbitrary<String> query(List<String> known) {
        List<String> names = new ArrayList<>(known);
        names.add("unknown");
        names.add("");
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(4, number()),
                Tuple.of(2, Arbitraries.of("SUCCEEDED", "RUNNING", "succeeded", "BOGUS", "fuzz", "")),
                Tuple.of(3, text().map(HostileValues::encode)),
                Tuple.of(1, Arbitraries.of("%", "%zz", "%00", "a b", "ü", "%C0%AE", "1&offset=2", "[]", "{}")));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(names), value).as((name, v) -> name + "=" + v);
        return pair.list().ofMaxSize(4).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    private static Arbitrary<byte[]> body(Body kind) {
        return switch (kind) {
            case NONE -> Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(new byte[0])),
                    Tuple.of(2, HostileValues.body(HostileValues.jsonValue())));
            case JOB -> HostileValues.body(job());
            case TRIGGER -> HostileValues.body(HostileValues.object(Map.of("params", field(text().map(HostileValues::quote)))));
            case TOKEN -> HostileValues.body(HostileValues.object(Map.of(
                    "name", field(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(n -> quote("fuzz-" + n))),
                    "role", field(Arbitraries.of("ADMIN", "OPERATOR", "VIEWER", "admin", "ROOT", "").map(HostileValues::quote)))));
        };
    }

    /** A job in the shape of JobJson: plausible values for the echo handler in the agent's group, or hostile ones. */
    static Arbitrary<String> job() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("name", field(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20).map(n -> quote("fuzz-" + n))));
        fields.put("group", field(Arbitraries.of(FuzzCluster.GROUP, "default", "nope").map(HostileValues::quote)));
        fields.put("schedule", field(HostileValues.object(Map.of(
                "type", field(Arbitraries.of("NONE", "CRON", "FIXED_RATE", "FIXED_DELAY", "cron", "HOURLY").map(HostileValues::quote)),
                "expression", field(Arbitraries.of("0 0 0 1 1 ? 2099", "3600", "* * *", "0 0 0 31 2 ?", "99999999999", "-5", "",
                        "0/0 * * * * ?", "L W # ? *").map(HostileValues::quote)),
                "timezone", field(Arbitraries.of("UTC", "Europe/Berlin", "Mars/Olympus", "GMT+99", "../../etc/localtime")
                        .map(HostileValues::quote))))));
        fields.put("handler", field(Arbitraries.of("echo", "command", "nope", "").map(HostileValues::quote)));
        fields.put("params", field(text().map(HostileValues::quote)));
        fields.put("shards", field(number()));
        fields.put("accelerators", field(HostileValues.object(Map.of(
                "kind", field(Arbitraries.of("GPU", "gpu", "TPU", "").map(HostileValues::quote)),
                "count", field(number()),
                "model", field(Arbitraries.of("*H100*", "[", "**", "H100").map(HostileValues::quote)),
                "minMemoryMb", field(number())))));
        fields.put("gang", field(Arbitraries.of("true", "false")));
        fields.put("routing", field(Arbitraries.of("ROUND_ROBIN", "LEAST_LOADED", "NEAREST").map(HostileValues::quote)));
        fields.put("blockStrategy", field(Arbitraries.of("SERIAL", "DISCARD_NEW", "WAIT").map(HostileValues::quote)));
        fields.put("misfire", field(Arbitraries.of("FIRE_ONCE", "IGNORE", "LATER").map(HostileValues::quote)));
        fields.put("timeoutSeconds", field(number()));
        fields.put("maxRetries", field(number()));
        fields.put("maxWaitSeconds", field(number()));
        fields.put("childJobIds", field(number().list().ofMaxSize(4).map(ids -> "[" + String.join(",", ids) + "]")));
        fields.put("enabled", field(Arbitraries.of("true", "false")));
        fields.put("id", field(number()));
        return HostileValues.object(fields);
    }

    private Arbitrary<List<RawHttp.Header>> authorization() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.of(bearer(FuzzCluster.ADMIN_TOKEN)))),
                Tuple.of(1, Arbitraries.just(List.of(bearer(cluster.viewerToken())))),
                Tuple.of(2, Arbitraries.just(List.of())),
                Tuple.of(2, Arbitraries.of(
                        "Bearer", "Bearer ", "bearer " + FuzzCluster.ADMIN_TOKEN, "Basic YWRtaW46YWRtaW4=", "Bearer tsr_unknown",
                        "Bearer " + FuzzCluster.ADMIN_TOKEN + "x", "Bearer " + "A".repeat(5000), "Bearer \u00e9\u00e9",
                        "Bearer " + FuzzCluster.ADMIN_TOKEN + " extra", "Token " + FuzzCluster.ADMIN_TOKEN, "Bearer %00", "")
                        .map(value -> List.of(new RawHttp.Header("Authorization", value)))),
                Tuple.of(1, Arbitraries.just(List.of(bearer(FuzzCluster.ADMIN_TOKEN), bearer("tsr_second")))),
                Tuple.of(1, Arbitraries.just(List.of(bearer("tsr_first"), bearer(FuzzCluster.ADMIN_TOKEN)))));
    }

    private static RawHttp.Header bearer(String token) {
        return new RawHttp.Header("Authorization", "Bearer " + token);
    }

    /** Content-Type (right, wrong, doubled or missing) and a few other header tricks. */
    static Arbitrary<List<RawHttp.Header>> headers() {
        Arbitrary<List<RawHttp.Header>> contentType = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.of(new RawHttp.Header("Content-Type", "application/json")))),
                Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(3, Arbitraries.of("text/plain", "application/json; charset=utf-16", "application/json; charset=bogus",
                        "application/xml", "multipart/form-data", "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded", "a/b/c", ";;;", "", "application/json\u0000",
                        "application/problem+json", "*/*", "application/json, text/plain")
                        .map(value -> List.of(new RawHttp.Header("Content-Type", value)))),
                Tuple.of(1, Arbitraries.just(List.of(new RawHttp.Header("Content-Type", "application/json"),
                        new RawHttp.Header("Content-Type", "text/plain")))));
        Arbitrary<RawHttp.Header> trick = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 120_000).map(n -> new RawHttp.Header("X-Fuzz", "a".repeat(n))),
                Arbitraries.of("text/html", "application/xml", "*/*", "application/json;q=0", "garbage", "")
                        .map(value -> new RawHttp.Header("Accept", value)),
                text().map(value -> new RawHttp.Header("Idempotency-Key", value)),
                text().map(value -> new RawHttp.Header("X-Fuzz-Text", value)),
                Arbitraries.of("gzip", "deflate", "br", "bogus").map(value -> new RawHttp.Header("Content-Encoding", value)),
                Arbitraries.of("100-continue", "bogus").map(value -> new RawHttp.Header("Expect", value)),
                Arbitraries.of("http://evil.example", "null").map(value -> new RawHttp.Header("Origin", value)),
                Arbitraries.of("127.0.0.1, evil", "\u0000").map(value -> new RawHttp.Header("X-Forwarded-For", value)),
                Arbitraries.of("GET", "DELETE").map(value -> new RawHttp.Header("X-HTTP-Method-Override", value)));
        return Combinators.combine(contentType, trick.list().ofMaxSize(2)).as((type, extra) -> {
            List<RawHttp.Header> all = new ArrayList<>(type);
            all.addAll(extra);
            return all;
        });
    }
}
