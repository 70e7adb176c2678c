package io.tessera.admin.fuzz;

import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
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
import static io.tessera.admin.fuzz.HostileValues.text;

/**
 * Requests on the admin↔executor wire: to the agent's endpoint ({@link WirePaths} {@code /v1/*})
 * and to the admin's {@link WirePaths#RESULTS}. Most are signed with the cluster secret so that the
 * body reaches the decoder and the code behind it; the rest are unsigned, stale, forged or signed
 * for another request.
 */
final class WireRequests {

    private static final List<String> AGENT_PATHS = List.of(WirePaths.TRIGGER, WirePaths.TRIGGERS, WirePaths.KILL,
            WirePaths.LOG, WirePaths.STATUS);

    private WireRequests() {
    }

    static Arbitrary<RawHttp.Request> agent() {
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.of(AGENT_PATHS)),
                Tuple.of(1, Arbitraries.of("/", "/v1", "/v1/", "/v2/trigger", "/v1/trigger/", "/v1//trigger", "/v1/%74rigger",
                        "/v1/../v1/status", "/V1/STATUS", "*", "/v1/status%00", "/" + "x".repeat(10_000))));
        return path.flatMap(p -> {
            Arbitrary<String> method = Arbitraries.frequencyOf(
                    Tuple.of(8, Arbitraries.just(p.equals(WirePaths.LOG) || p.equals(WirePaths.STATUS) ? "GET" : "POST")),
                    Tuple.of(2, Arbitraries.of(AdminApiRequests.METHODS)));
            Arbitrary<String> query = p.equals(WirePaths.LOG) ? logQuery() : Arbitraries.frequencyOf(
                    Tuple.of(9, Arbitraries.just("")), Tuple.of(1, Arbitraries.of("?runId=1", "?x=%00", "?" + "q".repeat(5000))));
            Arbitrary<byte[]> body = switch (p) {
                case WirePaths.TRIGGER -> HostileValues.body(trigger());
                case WirePaths.TRIGGERS -> HostileValues.body(triggerBatch());
                case WirePaths.KILL -> HostileValues.body(kill());
                default -> Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(new byte[0])),
                        Tuple.of(2, HostileValues.body(HostileValues.jsonValue())));
            };
            return Combinators.combine(method, query, body, signing(), AdminApiRequests.headers())
                    .as((m, q, b, sign, extra) -> signed(m, p + q, b, sign, extra));
        });
    }

    static Arbitrary<RawHttp.Request> results() {
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.just(WirePaths.RESULTS)),
                Tuple.of(1, HostileValues.pathTrick().map(trick -> trick.apply(WirePaths.RESULTS))));
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just("POST")),
                Tuple.of(1, Arbitraries.of(AdminApiRequests.METHODS)));
        return Combinators.combine(method, path, HostileValues.body(resultBatch()), signing(), AdminApiRequests.headers())
                .as((m, p, b, sign, extra) -> signed(m, p, b, sign, extra));
    }

    enum Signing { SIGNED, UNSIGNED, STALE, FORGED, OTHER_BODY, GARBAGE, DOUBLED }

    private static Arbitrary<Signing> signing() {
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(Signing.SIGNED)),
                Tuple.of(8, Arbitraries.of(Signing.values())));
    }

    private static RawHttp.Request signed(String method, String target, byte[] body, Signing signing,
                                          List<RawHttp.Header> extra) {
        List<RawHttp.Header> headers = new ArrayList<>(extra);
        switch (signing) {
            case SIGNED -> headers.addAll(WireSigning.signatureHeaders(method, target, body));
            case UNSIGNED -> { }
            case STALE -> headers.addAll(List.of(new RawHttp.Header(RequestSigner.TIMESTAMP_HEADER, "1"),
                    WireSigning.signatureHeaders(method, target, body).get(1)));
            case FORGED -> headers.addAll(List.of(WireSigning.signatureHeaders(method, target, body).get(0),
                    new RawHttp.Header(RequestSigner.SIGNATURE_HEADER, "0".repeat(64))));
            case OTHER_BODY -> headers.addAll(WireSigning.signatureHeaders(method, target, new byte[] {'{', '}'}));
            case GARBAGE -> headers.addAll(List.of(new RawHttp.Header(RequestSigner.TIMESTAMP_HEADER, "99999999999999999999999"),
                    new RawHttp.Header(RequestSigner.SIGNATURE_HEADER, "\u00e9\u0000" + "z".repeat(3000))));
            case DOUBLED -> {
                headers.addAll(WireSigning.signatureHeaders(method, target, body));
                headers.addAll(WireSigning.signatureHeaders(method, target, new byte[0]));
            }
        }
        return new RawHttp.Request(method, target, headers, body);
    }

    private static Arbitrary<String> logQuery() {
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(6, number()), Tuple.of(2, text().map(HostileValues::encode)),
                Tuple.of(1, Arbitraries.of("%", "%zz", "", "a b")));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of("runId", "shard", "offset", "maxBytes", "unknown", "runId"), value)
                .as((name, v) -> name + "=" + v);
        return pair.list().ofMaxSize(5).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    private static Arbitrary<String> version() {
        return field(Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(Integer.toString(WireMessage.PROTOCOL_VERSION))),
                Tuple.of(4, Arbitraries.of("1", "0", "-1", "99", "2147483648", "\"2\""))));
    }

    private static Arbitrary<String> devices() {
        return field(HostileValues.object(Map.of(
                "kind", field(Arbitraries.of("GPU", "gpu", "", "x".repeat(300)).map(HostileValues::quote)),
                "index", field(number()))).list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]"));
    }

    static Arbitrary<String> trigger() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("v", version());
        fields.put("runId", field(number()));
        fields.put("jobId", field(number()));
        fields.put("jobName", field(text().map(HostileValues::quote)));
        fields.put("handler", field(Arbitraries.of("echo", "command", "nope", "").map(HostileValues::quote)));
        fields.put("params", field(text().map(HostileValues::quote)));
        fields.put("shardIndex", field(number()));
        fields.put("shardTotal", field(number()));
        fields.put("attempt", field(number()));
        fields.put("devices", devices());
        fields.put("timeoutSeconds", field(Arbitraries.of("0", "1", "-1", "2147483647")));
        fields.put("blockStrategy", field(Arbitraries.of("SERIAL", "DISCARD_NEW", "WAIT").map(HostileValues::quote)));
        fields.put("rendezvous", field(HostileValues.object(Map.of(
                "masterAddr", field(text().map(HostileValues::quote)),
                "masterPort", field(number()),
                "localRank", field(number())))));
        fields.put("scheduledAt", field(Arbitraries.oneOf(number(), Arbitraries.of("2026-01-01T00:00:00Z", "yesterday")
                .map(HostileValues::quote))));
        fields.put("dispatchedAt", field(number()));
        // Only loopback or nonsense: a signed trigger's reportTo is where the agent will send its result.
        fields.put("reportTo", field(Arbitraries.of("http://127.0.0.1:1", "not a url", "file:///etc/passwd", "")
                .map(HostileValues::quote)));
        return HostileValues.object(fields);
    }

    static Arbitrary<String> triggerBatch() {
        return HostileValues.object(Map.of(
                "v", version(),
                "triggers", field(Arbitraries.frequencyOf(
                        Tuple.of(9, trigger().list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]")),
                        Tuple.of(1, Arbitraries.just("[" + String.join(",", java.util.Collections.nCopies(501, "{}")) + "]"))))));
    }

    static Arbitrary<String> kill() {
        return HostileValues.object(Map.of(
                "v", version(),
                "runId", field(number()),
                "shardIndex", field(number()),
                "reason", field(text().map(HostileValues::quote))));
    }

    static Arbitrary<String> resultBatch() {
        Map<String, Arbitrary<String>> result = new LinkedHashMap<>();
        result.put("v", version());
        result.put("runId", field(number()));
        result.put("shardIndex", field(number()));
        result.put("attempt", field(number()));
        result.put("jobId", field(number()));
        result.put("executorId", field(text().map(HostileValues::quote)));
        result.put("status", field(Arbitraries.of("SUCCEEDED", "FAILED", "RUNNING", "PENDING", "BOGUS").map(HostileValues::quote)));
        result.put("exitCode", field(number()));
        result.put("message", field(text().map(HostileValues::quote)));
        result.put("startedAt", field(number()));
        result.put("finishedAt", field(number()));
        result.put("fencingToken", field(number()));
        result.put("devices", devices());
        Arbitrary<String> results = Arbitraries.frequencyOf(
                Tuple.of(9, HostileValues.object(result).list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]")),
                Tuple.of(1, Arbitraries.just("[" + String.join(",", java.util.Collections.nCopies(1001, "{}")) + "]")));
        return HostileValues.object(Map.of("v", version(), "results", field(results)));
    }
}
