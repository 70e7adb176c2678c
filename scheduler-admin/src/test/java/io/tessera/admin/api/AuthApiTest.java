package io.tessera.admin.api;

import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens and roles: 401 without a token, 403 for a too-weak role, revocation at once, audit of changes. */
class AuthApiTest extends ApiTestBase {

    record Call(String method, String path, String body) {
    }

    private static List<Call> reads() {
        return List.of(new Call("GET", "/api/v1/jobs", null), new Call("GET", "/api/v1/jobs/1", null),
                new Call("GET", "/api/v1/runs", null), new Call("GET", "/api/v1/runs/1", null),
                new Call("GET", "/api/v1/runs/1/shards/0/log", null), new Call("GET", "/api/v1/executors", null),
                new Call("GET", "/api/v1/cluster", null), new Call("GET", "/api/v1/tokens", null),
                new Call("GET", "/api/v1/no-such-endpoint", null));
    }

    private static List<Call> changes() {
        return List.of(new Call("POST", "/api/v1/jobs", "{\"name\":\"nope\",\"handler\":\"echo\"}"),
                new Call("PUT", "/api/v1/jobs/1", "{\"name\":\"nope\",\"handler\":\"echo\"}"),
                new Call("DELETE", "/api/v1/jobs/1", null), new Call("POST", "/api/v1/jobs/1/pause", null),
                new Call("POST", "/api/v1/jobs/1/resume", null), new Call("POST", "/api/v1/jobs/1/trigger", null),
                new Call("POST", "/api/v1/runs/1/cancel", null),
                new Call("POST", "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"VIEWER\"}"),
                new Call("DELETE", "/api/v1/tokens/1", null));
    }

    @Test
    void everyEndpointButHealthAnswers401WithoutAToken() {
        for (Call call : concat(reads(), changes())) {
            ApiClient.Reply reply = api.send(call.method(), call.path(), null, call.body());
            assertThat(reply.status()).as(call + " -> " + reply).isEqualTo(401);
            assertThat(reply.isProblem()).as(call.toString()).isTrue();
            assertThat(reply.json().get("field").asText()).isEqualTo("Authorization");
        }
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(200);
    }

    @Test
    void theExecutorResultEndpointNeedsNoTokenButItsOwnSignature() {
        ApiClient.Reply unsigned = api.post("/api/v1/executor/results", null, "{}");
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.isProblem()).isTrue();
        assertThat(unsigned.json().get("field").asText()).as("answered by the endpoint's signature check, not the bearer chain")
                .isEqualTo("X-Tessera-Signature");
    }

    @Test
    void aMalformedOrUnknownTokenIs401() {
        ApiClient.Reply unknown = api.get("/api/v1/jobs", "tsr_not-a-token");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.isProblem()).isTrue();
        ApiClient.Reply basic = api.send("GET", "/api/v1/jobs", null, null,
                java.util.Map.of("Authorization", "Basic dXNlcjpwYXNz"));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().get("field").asText()).isEqualTo("Authorization");
    }

    @Test
    void aViewerReadsButGets403OnEveryChange() {
        String viewer = token(Role.VIEWER);
        for (Call call : reads()) {
            ApiClient.Reply reply = api.send(call.method(), call.path(), viewer, call.body());
            if (call.path().startsWith("/api/v1/tokens")) {
                assertThat(reply.status()).as(call + " -> " + reply).isEqualTo(403);
            } else {
                assertThat(reply.status()).as(call + " -> " + reply).isIn(200, 404);
            }
        }
        for (Call call : changes()) {
            ApiClient.Reply reply = api.send(call.method(), call.path(), viewer, call.body());
            assertThat(reply.status()).as(call + " -> " + reply).isEqualTo(403);
            assertThat(reply.isProblem()).isTrue();
        }
    }

    @Test
    void anOperatorCannotManageTokens() {
        String operator = token(Role.OPERATOR);
        assertThat(api.get("/api/v1/tokens", operator).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/tokens", operator, "{\"name\":\"x\",\"role\":\"ADMIN\"}").status()).isEqualTo(403);
    }

    @Test
    void aTokenIsShownOnceWorksAndStopsAtOnceWhenRevoked() {
        String name = unique("ci");
        ApiClient.Reply created = api.post("/api/v1/tokens", ADMIN_TOKEN, "{\"name\":\"" + name + "\",\"role\":\"OPERATOR\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.json().get("token").asText();
        long id = created.json().get("id").asLong();
        assertThat(secret).startsWith("tsr_");
        assertThat(tokenStore.find(id)).get().extracting(ApiTokenStore.ApiToken::role).isEqualTo(Role.OPERATOR);

        ApiClient.Reply listed = api.get("/api/v1/tokens", ADMIN_TOKEN);
        assertThat(listed.body()).contains(name).doesNotContain(secret);

        long job = echoJob(unique("by-token"));
        assertThat(api.post("/api/v1/jobs/" + job + "/trigger", secret, null).status()).isEqualTo(202);

        assertThat(api.send("DELETE", "/api/v1/tokens/" + id, ADMIN_TOKEN, null).status()).isEqualTo(204);
        ApiClient.Reply after = api.get("/api/v1/jobs", secret);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.isProblem()).isTrue();
        assertThat(api.send("DELETE", "/api/v1/tokens/" + id, ADMIN_TOKEN, null).status()).isEqualTo(409);
        assertThat(api.send("DELETE", "/api/v1/tokens/987654321", ADMIN_TOKEN, null).status()).isEqualTo(404);

        assertThat(auditStore.list(0, 500)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo("bootstrap");
            assertThat(entry.action()).isEqualTo("token.create");
            assertThat(entry.target()).isEqualTo("token:" + id);
        }).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("token.revoke");
            assertThat(entry.target()).isEqualTo("token:" + id);
        }).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo(name);
            assertThat(entry.action()).isEqualTo("run.trigger");
            assertThat(entry.target()).isEqualTo("job:" + job);
        });
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        ApiClient.Reply doc = api.get("/v3/api-docs", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().at("/info/title").asText()).isEqualTo("Tessera HTTP API");
        assertThat(doc.json().get("paths").has("/api/v1/jobs/{id}/trigger")).isTrue();
        assertThat(doc.json().get("paths").has("/api/v1/runs/{id}/shards/{index}/log")).isTrue();
        assertThat(doc.json().at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }

    private static List<Call> concat(List<Call> a, List<Call> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
