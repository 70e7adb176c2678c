package io.tessera.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The job endpoints' happy paths and their documented errors, over real HTTP. */
class JobsApiTest extends ApiTestBase {

    @Autowired
    private JobStore jobStore;

    @Test
    void createReadListUpdatePauseResumeDelete() {
        String name = unique("report");
        ApiClient.Reply created = api.post("/api/v1/jobs", token(Role.OPERATOR), """
                {"name":"%s","group":"%s","schedule":{"type":"CRON","expression":"0 0 2 * * ?","timezone":"Europe/Berlin"},
                 "handler":"echo","params":"x","shards":3,"accelerators":{"kind":"GPU","count":1,"model":"H100","minMemoryMb":40000},
                 "gang":false,"routing":"FIRST","blockStrategy":"DISCARD_NEW","misfire":"SKIP","timeoutSeconds":60,
                 "maxRetries":2,"childJobIds":[],"enabled":true}""".formatted(name, GROUP));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode job = created.json();
        long id = job.get("id").asLong();
        assertThat(job.get("name").asText()).isEqualTo(name);
        assertThat(job.at("/schedule/timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(job.at("/accelerators/model").asText()).isEqualTo("H100");
        assertThat(job.get("shards").asInt()).isEqualTo(3);
        assertThat(job.get("misfire").asText()).isEqualTo("SKIP");

        ApiClient.Reply read = api.get("/api/v1/jobs/" + id, token(Role.VIEWER));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(job);

        ApiClient.Reply list = api.get("/api/v1/jobs?name=" + name, token(Role.VIEWER));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);

        ApiClient.Reply updated = api.send("PUT", "/api/v1/jobs/" + id, token(Role.OPERATOR),
                "{\"name\":\"" + name + "\",\"group\":\"" + GROUP + "\",\"handler\":\"echo\",\"shards\":5}");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("shards").asInt()).isEqualTo(5);
        assertThat(updated.json().at("/schedule/type").asText()).isEqualTo("NONE");

        ApiClient.Reply paused = api.post("/api/v1/jobs/" + id + "/pause", token(Role.OPERATOR), null);
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("enabled").asBoolean()).isFalse();
        ApiClient.Reply resumed = api.post("/api/v1/jobs/" + id + "/resume", token(Role.OPERATOR), null);
        assertThat(resumed.json().get("enabled").asBoolean()).isTrue();

        assertThat(api.send("DELETE", "/api/v1/jobs/" + id, token(Role.OPERATOR), null).status()).isEqualTo(204);
        ApiClient.Reply gone = api.get("/api/v1/jobs/" + id, token(Role.VIEWER));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.isProblem()).isTrue();
        assertThat(gone.json().get("field").asText()).isEqualTo("id");
        assertThat(api.send("DELETE", "/api/v1/jobs/" + id, token(Role.OPERATOR), null).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/jobs/" + id + "/pause", token(Role.OPERATOR), null).status()).isEqualTo(404);
    }

    @Test
    void priorityPreemptionAndQueueRoundTrip() {
        String name = unique("ranked");
        ApiClient.Reply created = api.post("/api/v1/jobs", token(Role.OPERATOR), """
                {"name":"%s","group":"%s","handler":"echo","priority":-250,"preemptible":true,
                 "queue":"team-a.research_1","preemptionGraceSeconds":3600}""".formatted(name, GROUP));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode job = created.json();
        long id = job.get("id").asLong();
        assertThat(job.get("priority").asInt()).isEqualTo(-250);
        assertThat(job.get("preemptible").asBoolean()).isTrue();
        assertThat(job.get("queue").asText()).isEqualTo("team-a.research_1");
        assertThat(job.get("preemptionGraceSeconds").asInt()).isEqualTo(3600);
        assertThat(api.get("/api/v1/jobs/" + id, token(Role.VIEWER)).json()).isEqualTo(job);
        assertThat(jobStore.find(id).orElseThrow()).satisfies(stored -> {
            assertThat(stored.priority()).isEqualTo(-250);
            assertThat(stored.preemptible()).isTrue();
            assertThat(stored.queue()).isEqualTo("team-a.research_1");
            assertThat(stored.preemptionGraceSeconds()).isEqualTo(3600);
        });

        ApiClient.Reply changed = api.send("PUT", "/api/v1/jobs/" + id, token(Role.OPERATOR), """
                {"name":"%s","group":"%s","handler":"echo","priority":1000,"preemptible":false,"queue":"team-b",
                 "preemptionGraceSeconds":0}""".formatted(name, GROUP));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode read = api.get("/api/v1/jobs/" + id, token(Role.VIEWER)).json();
        assertThat(read.get("priority").asInt()).isEqualTo(1000);
        assertThat(read.get("preemptible").asBoolean()).isFalse();
        assertThat(read.get("queue").asText()).isEqualTo("team-b");
        assertThat(read.get("preemptionGraceSeconds").asInt()).isEqualTo(0);
    }

    @Test
    void priorityPreemptionAndQueueTakeTheirDefaultsWhenLeftOut() {
        long id = echoJob(unique("plain"));
        JsonNode job = api.get("/api/v1/jobs/" + id, token(Role.VIEWER)).json();
        assertThat(job.get("priority").asInt()).isZero();
        assertThat(job.get("preemptible").asBoolean()).isFalse();
        assertThat(job.get("queue").isTextual()).isTrue();
        assertThat(job.get("queue").asText()).isEmpty();
        assertThat(job.get("preemptionGraceSeconds").asInt()).isEqualTo(30);

        // A replace that leaves them out puts the defaults back, as for every other field.
        String name = job.get("name").asText();
        assertThat(api.send("PUT", "/api/v1/jobs/" + id, token(Role.OPERATOR), """
                {"name":"%s","group":"%s","handler":"echo","priority":7,"preemptible":true,"queue":"q",
                 "preemptionGraceSeconds":5}""".formatted(name, GROUP)).json().get("queue").asText()).isEqualTo("q");
        ApiClient.Reply reset = api.send("PUT", "/api/v1/jobs/" + id, token(Role.OPERATOR),
                "{\"name\":\"" + name + "\",\"group\":\"" + GROUP + "\",\"handler\":\"echo\",\"queue\":null}");
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        assertThat(reset.json().get("priority").asInt()).isZero();
        assertThat(reset.json().get("preemptible").asBoolean()).isFalse();
        assertThat(reset.json().get("queue").asText()).isEmpty();
        assertThat(reset.json().get("preemptionGraceSeconds").asInt()).isEqualTo(30);
    }

    @Test
    void theOpenApiDocumentGivesTheNewFieldsRangesAndDefaults() {
        JsonNode job = api.get("/v3/api-docs", null).json().at("/components/schemas/JobJson/properties");
        assertThat(job.at("/priority/minimum").asInt()).isEqualTo(-1000);
        assertThat(job.at("/priority/maximum").asInt()).isEqualTo(1000);
        assertThat(job.at("/preemptible/default").asBoolean(true)).isFalse();
        assertThat(job.at("/queue/type").asText()).isEqualTo("string");
        assertThat(job.at("/preemptionGraceSeconds/default").asInt()).isEqualTo(30);
        assertThat(job.at("/preemptionGraceSeconds/maximum").asInt()).isEqualTo(3600);
    }

    static Stream<Arguments> badRankFields() {
        return Stream.of(
                Arguments.of("\"priority\":1001", "priority", "must be between -1000 and 1000, was 1001"),
                Arguments.of("\"priority\":-1001", "priority", "must be between -1000 and 1000, was -1001"),
                Arguments.of("\"priority\":\"high\"", "priority", "has the wrong type"),
                Arguments.of("\"preemptionGraceSeconds\":-1", "preemptionGraceSeconds", "must be between 0 and 3600, was -1"),
                Arguments.of("\"preemptionGraceSeconds\":3601", "preemptionGraceSeconds", "must be between 0 and 3600, was 3601"),
                Arguments.of("\"queue\":\"team a\"", "queue", "'team a' is not a valid name"),
                Arguments.of("\"queue\":\"-team\"", "queue", "'-team' is not a valid name"),
                Arguments.of("\"queue\":\"team/a\"", "queue", "'team/a' is not a valid name"),
                Arguments.of("\"queue\":\"" + "q".repeat(129) + "\"", "queue", "'qqq"),
                Arguments.of("\"queue\":7", "queue", "has the wrong type"),
                Arguments.of("\"preemptible\":\"sometimes\"", "preemptible", "has the wrong type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRankFields")
    void aBadPriorityQueueOrGraceIsRefusedNamingTheField(String field, String named, String detail) {
        String name = unique("bad-rank");
        ApiClient.Reply reply = api.post("/api/v1/jobs", token(Role.OPERATOR),
                "{\"name\":\"" + name + "\",\"group\":\"" + GROUP + "\",\"handler\":\"echo\"," + field + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.isProblem()).as(reply.toString()).isTrue();
        assertThat(reply.json().get("field").asText()).isEqualTo(named);
        assertThat(reply.json().get("detail").asText()).startsWith(detail);
        assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo(named);
        assertThat(api.get("/api/v1/jobs?name=" + name, token(Role.VIEWER)).json()).isEmpty();
    }

    @Test
    void aTakenNameIsAConflictNamingTheField() {
        String name = unique("twice");
        echoJob(name);
        ApiClient.Reply again = api.post("/api/v1/jobs", ADMIN_TOKEN, "{\"name\":\"" + name + "\",\"handler\":\"echo\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.isProblem()).isTrue();
        assertThat(again.json().get("field").asText()).isEqualTo("name");
    }

    @Test
    void anUnknownChildJobIsRefusedNamingTheField() {
        ApiClient.Reply reply = api.post("/api/v1/jobs", ADMIN_TOKEN,
                "{\"name\":\"" + unique("orphan") + "\",\"handler\":\"echo\",\"childJobIds\":[987654321]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("childJobIds");
    }

    @Test
    void commandJobsNeedAnAdminToCreateChangeOrTriggerWithParams() {
        String operator = token(Role.OPERATOR);
        ApiClient.Reply refused = api.post("/api/v1/jobs", operator,
                "{\"name\":\"" + unique("cmd") + "\",\"handler\":\"command\",\"params\":\"echo hi\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("field").asText()).isEqualTo("handler");

        String name = unique("cmd");
        long id = createJob("{\"name\":\"" + name + "\",\"group\":\"" + GROUP + "\",\"handler\":\"command\",\"params\":\"echo hi\"}");
        assertThat(api.send("PUT", "/api/v1/jobs/" + id, operator,
                "{\"name\":\"" + name + "\",\"handler\":\"echo\"}").status()).isEqualTo(403);
        long echo = echoJob(unique("to-command"));
        assertThat(api.send("PUT", "/api/v1/jobs/" + echo, operator,
                "{\"name\":\"x-" + echo + "\",\"handler\":\"command\"}").status()).isEqualTo(403);

        assertThat(api.post("/api/v1/jobs/" + id + "/trigger", operator, "{\"params\":\"rm -rf /tmp/x\"}").status())
                .isEqualTo(403);
        assertThat(api.post("/api/v1/jobs/" + id + "/trigger", operator, null).status()).isEqualTo(202);
        assertThat(api.post("/api/v1/jobs/" + id + "/trigger", ADMIN_TOKEN, "{\"params\":\"echo other\"}").status())
                .isEqualTo(202);
    }

    @Test
    void jobChangesAreAuditedUnderTheTokensName() {
        long id = echoJob(unique("audited"));
        api.post("/api/v1/jobs/" + id + "/pause", ADMIN_TOKEN, null);
        assertThat(auditStore.list(0, 200)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo("bootstrap");
            assertThat(entry.action()).isEqualTo("job.pause");
            assertThat(entry.target()).isEqualTo("job:" + id);
            assertThat(entry.at()).isNotNull();
        });
    }
}
