package io.tessera.admin.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.wire.WirePaths;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz suite of security issue 13: generated hostile requests, over real HTTP on loopback,
 * against a real admin (Spring Boot, H2, a ZooKeeper {@code TestingServer}) and a real agent:
 * every endpoint of the REST API, the agent's endpoint and the admin's results endpoint, signed
 * and unsigned. Passes with no 5xx and every 4xx in the form {@link ReplyCheck} describes.
 *
 * <p>Why jqwik, property-based generation, rather than a coverage-guided fuzzer (Jazzer)? The
 * attack surface is HTTP routing, filters, Jackson binding and validation spread over two servers,
 * and the oracle is the answer's status and form, not a crash. Generators that know each endpoint
 * and field reach every one of them through the real network stack on every run, where a
 * byte-level fuzzer spends most of its time rediscovering the HTTP grammar. jqwik shrinks a failing
 * request to a minimal one and replays it by seed; it runs on the JUnit Platform beside Jupiter, so
 * it is part of the ordinary Maven test phase ({@code mvn verify}, {@code .ci/run}), bounded by its
 * number of tries rather than by a time budget.
 *
 * <p>Each target has a property with a fixed seed (the same requests on every run, a regression
 * suite) and one with a new seed per run (printed, and replayed with {@code -Dtessera.fuzz.seed}).
 * See docs/security/FUZZING.md.
 */
@AddLifecycleHook(FuzzSeeds.class)
class EndpointFuzzTest {

    static final String FIXED_SEED = "20261203";
    static final int API_TRIES = 2_700;
    static final int AGENT_TRIES = 1_500;
    static final int RESULTS_TRIES = 1_000;
    static final int MIN_REQUESTS = 10_000;
    /** The six properties and the OpenAPI example: only a whole run must reach {@link #MIN_REQUESTS}. */
    private static final int PROPERTIES = 7;

    private static FuzzCluster cluster;
    private static final FuzzTally tally = new FuzzTally();
    private static final AtomicInteger propertiesDone = new AtomicInteger();
    private static List<String> realIds;

    @BeforeContainer
    static void startCluster() throws Exception {
        FuzzReport.start();
        cluster = FuzzCluster.start();
        realIds = new ArrayList<>();
        for (String name : List.of("fuzz-known-a", "fuzz-known-b")) {
            realIds.add(setUp("POST", "/api/v1/jobs", "{\"name\":\"" + name + "\",\"group\":\"" + FuzzCluster.GROUP
                    + "\",\"handler\":\"echo\",\"params\":\"hi\"}").path("id").asText());
        }
        realIds.add(setUp("POST", "/api/v1/jobs/" + realIds.get(0) + "/trigger", "{}").path("runId").asText());
    }

    private static JsonNode setUp(String method, String path, String body) throws Exception {
        RawHttp.Response response = RawHttp.exchange(cluster.adminPort(), new RawHttp.Request(method, path,
                List.of(new RawHttp.Header("Authorization", "Bearer " + FuzzCluster.ADMIN_TOKEN),
                        new RawHttp.Header("Content-Type", "application/json")), HostileValues.utf8(body)));
        assertThat(response.status()).as("setting up: %s %s -> %s", method, path, response).isBetween(200, 299);
        return new ObjectMapper().readTree(response.body());
    }

    @AfterContainer
    static void summarize() throws Exception {
        try {
            String summary = tally.summary();
            System.out.println(summary);
            FuzzReport.line(summary);
            assertThat(tally.serverErrors()).as(summary).isZero();
            if (propertiesDone.get() == PROPERTIES && System.getProperty(FuzzSeeds.TRIES) == null) {
                assertThat(tally.requests()).as(summary).isGreaterThanOrEqualTo(MIN_REQUESTS);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Provide
    Arbitrary<RawHttp.Request> apiRequests() {
        return new AdminApiRequests(cluster, realIds).requests();
    }

    @Provide
    Arbitrary<RawHttp.Request> agentRequests() {
        return WireRequests.agent();
    }

    @Provide
    Arbitrary<RawHttp.Request> resultRequests() {
        return WireRequests.results();
    }

    @Property(tries = API_TRIES, seed = FIXED_SEED, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void restApiWithFixedSeed(@ForAll("apiRequests") RawHttp.Request request) {
        api(request);
    }

    @Property(tries = API_TRIES, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void restApiWithRandomSeed(@ForAll("apiRequests") RawHttp.Request request) {
        api(request);
    }

    @Property(tries = AGENT_TRIES, seed = FIXED_SEED, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void agentEndpointWithFixedSeed(@ForAll("agentRequests") RawHttp.Request request) {
        agent(request);
    }

    @Property(tries = AGENT_TRIES, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void agentEndpointWithRandomSeed(@ForAll("agentRequests") RawHttp.Request request) {
        agent(request);
    }

    @Property(tries = RESULTS_TRIES, seed = FIXED_SEED, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void resultsEndpointWithFixedSeed(@ForAll("resultRequests") RawHttp.Request request) {
        results(request);
    }

    @Property(tries = RESULTS_TRIES, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void resultsEndpointWithRandomSeed(@ForAll("resultRequests") RawHttp.Request request) {
        results(request);
    }

    /** The suite covers every operation the admin's OpenAPI document lists, and no other. */
    @Example
    void theSuiteCoversEveryOperationOfTheOpenApiDocument() throws Exception {
        RawHttp.Response response = RawHttp.exchange(cluster.adminPort(),
                new RawHttp.Request("GET", "/v3/api-docs", List.of(), new byte[0]));
        tally.record("openapi", response.status());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode paths = new ObjectMapper().readTree(response.body()).path("paths");
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            paths.path(path).fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path));
        }
        Set<String> fuzzed = AdminApiRequests.ENDPOINTS.stream().map(AdminApiRequests.Endpoint::key)
                .collect(Collectors.toCollection(TreeSet::new));
        // The results endpoint is hidden from the document (executors only); resultsEndpoint* fuzz it.
        assertThat(documented).doesNotContain("POST " + WirePaths.RESULTS);
        assertThat(fuzzed).isEqualTo(documented);
    }

    @AfterProperty
    void countDone() {
        propertiesDone.incrementAndGet();
    }

    private void api(RawHttp.Request request) {
        check("api", cluster.adminPort(), request, ReplyCheck::api);
    }

    private void agent(RawHttp.Request request) {
        check("agent", cluster.agentPort(), request, ReplyCheck::wire);
    }

    private void results(RawHttp.Request request) {
        check("results", cluster.adminPort(), request, ReplyCheck::results);
    }

    private static void check(String target, int port, RawHttp.Request request,
                              BiFunction<RawHttp.Request, RawHttp.Response, String> criteria) {
        RawHttp.Response response = RawHttp.exchange(port, request);
        tally.record(target, response.status());
        String fault = criteria.apply(request, response);
        if (fault != null) {
            throw new AssertionError(target + " answered " + fault + "\n  request: " + request + "\n  answer: " + response);
        }
    }
}
