package io.tessera.admin.api;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests, each answered with the expected 4xx as {@code application/problem+json} whose
 * {@code field} names what is wrong; never a 500. {@code {job}} in a path stands for an existing job.
 */
class BadInputApiTest extends ApiTestBase {

    record Case(String name, String method, String path, String body, Map<String, String> headers, int status,
                String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String BIG = "x".repeat(70 * 1024);

    private static Case job(String name, String body, String field) {
        return new Case(name, "POST", "/api/v1/jobs", body, Map.of(), 400, field);
    }

    private static String withName(String fields) {
        return "{\"name\":\"bad-input\",\"handler\":\"echo\"," + fields + "}";
    }

    static Stream<Case> cases() {
        return Stream.of(
                job("malformed JSON", "{\"name\":", "body"),
                job("not JSON at all", "hello", "body"),
                job("JSON null", "null", "body"),
                job("empty body", "", "body"),
                job("nesting too deep", "[".repeat(2000), "body"),
                job("an array instead of an object", "[1,2]", "body"),
                job("trailing garbage", "{\"name\":\"a\",\"handler\":\"echo\"} x", "body"),
                job("unknown field", withName("\"colour\":\"red\""), "colour"),
                job("unknown field named by blanks", withName("\" \":true"), "' '"),
                job("unknown field with a dot in its name", withName("\"a.b\":1"), "'a.b'"),
                job("unknown nested field", withName("\"schedule\":{\"type\":\"NONE\",\"cron\":\"x\"}"), "schedule.cron"),
                job("missing name", "{\"handler\":\"echo\"}", "name"),
                job("name is a number", "{\"name\":5,\"handler\":\"echo\"}", "name"),
                job("name with spaces", "{\"name\":\"bad name!\",\"handler\":\"echo\"}", "name"),
                job("shards is text", withName("\"shards\":\"many\""), "shards"),
                job("shards is a fraction", withName("\"shards\":1.5"), "shards"),
                job("negative shards", withName("\"shards\":-1"), "shards"),
                job("zero shards", withName("\"shards\":0"), "shards"),
                job("huge shards", withName("\"shards\":100000"), "shards"),
                job("shards beyond int", withName("\"shards\":99999999999"), "shards"),
                job("gang is text", withName("\"gang\":\"yes\""), "gang"),
                job("enabled is a number", withName("\"enabled\":1"), "enabled"),
                job("unknown routing", withName("\"routing\":\"NEAREST\""), "routing"),
                job("unknown block strategy", withName("\"blockStrategy\":\"WAIT\""), "blockStrategy"),
                job("unknown misfire policy", withName("\"misfire\":\"LATER\""), "misfire"),
                job("enum as ordinal", withName("\"routing\":1"), "routing"),
                job("unknown schedule type", withName("\"schedule\":{\"type\":\"WEEKLY\"}"), "schedule.type"),
                job("schedule without type", withName("\"schedule\":{\"expression\":\"0 * * * * ?\"}"), "schedule.type"),
                job("invalid cron", withName("\"schedule\":{\"type\":\"CRON\",\"expression\":\"not a cron\"}"), "schedule.expression"),
                job("day-of-week beyond an int before '#'",
                        withName("\"schedule\":{\"type\":\"CRON\",\"expression\":\"0 0 0 ? * 99999999999#1\"}"), "schedule.expression"),
                job("five-field cron", withName("\"schedule\":{\"type\":\"CRON\",\"expression\":\"* * * * *\"}"), "schedule.expression"),
                job("cron that never fires again", withName("\"schedule\":{\"type\":\"CRON\",\"expression\":\"0 0 0 1 1 ? 2001\"}"),
                        "schedule.expression"),
                job("bad time zone", withName("\"schedule\":{\"type\":\"CRON\",\"expression\":\"0 * * * * ?\",\"timezone\":\"Mars/Olympus\"}"),
                        "schedule.timezone"),
                job("fixed rate not a number", withName("\"schedule\":{\"type\":\"FIXED_RATE\",\"expression\":\"often\"}"),
                        "schedule.expression"),
                job("fixed rate zero", withName("\"schedule\":{\"type\":\"FIXED_RATE\",\"expression\":\"0\"}"), "schedule.expression"),
                job("schedule is text", withName("\"schedule\":\"daily\""), "schedule"),
                job("zero accelerators", withName("\"accelerators\":{\"kind\":\"GPU\",\"count\":0}"), "accelerators.count"),
                job("accelerator without kind", withName("\"accelerators\":{\"count\":1}"), "accelerators.kind"),
                job("bad accelerator kind", withName("\"accelerators\":{\"kind\":\"G P U\",\"count\":1}"), "accelerators.kind"),
                job("negative accelerator memory", withName("\"accelerators\":{\"kind\":\"GPU\",\"count\":1,\"minMemoryMb\":-1}"),
                        "accelerators.minMemoryMb"),
                job("accelerators as text", withName("\"accelerators\":\"GPU:1\""), "accelerators"),
                job("unknown handler group", withName("\"group\":\"no such group\""), "group"),
                job("empty handler", "{\"name\":\"bad-input\",\"handler\":\"\"}", "handler"),
                job("negative timeout", withName("\"timeoutSeconds\":-5"), "timeoutSeconds"),
                job("too many retries", withName("\"maxRetries\":1000"), "maxRetries"),
                job("priority above 1000", withName("\"priority\":1001"), "priority"),
                job("priority below -1000", withName("\"priority\":-1001"), "priority"),
                job("priority is a fraction", withName("\"priority\":1.5"), "priority"),
                job("priority beyond int", withName("\"priority\":99999999999"), "priority"),
                job("preemptible is text", withName("\"preemptible\":\"yes\""), "preemptible"),
                job("queue with spaces", withName("\"queue\":\"team a\""), "queue"),
                job("queue is a number", withName("\"queue\":5"), "queue"),
                job("negative preemption grace", withName("\"preemptionGraceSeconds\":-1"), "preemptionGraceSeconds"),
                job("preemption grace over an hour", withName("\"preemptionGraceSeconds\":3601"), "preemptionGraceSeconds"),
                job("child ids as text", withName("\"childJobIds\":\"1,2\""), "childJobIds"),
                job("child id not a number", withName("\"childJobIds\":[\"x\"]"), "childJobIds"),
                job("unknown child job", withName("\"childJobIds\":[987654321]"), "childJobIds"),
                job("oversized job params", withName("\"params\":\"" + BIG + "\""), "params"),
                new Case("oversized body", "POST", "/api/v1/jobs", withName("\"params\":\"" + "y".repeat(300 * 1024) + "\""),
                        Map.of(), 413, "body"),
                new Case("oversized trigger params", "POST", "/api/v1/jobs/{job}/trigger", "{\"params\":\"" + BIG + "\"}",
                        Map.of(), 413, "params"),
                new Case("unknown trigger field", "POST", "/api/v1/jobs/{job}/trigger", "{\"param\":\"x\"}", Map.of(), 400, "param"),
                new Case("trigger params not text", "POST", "/api/v1/jobs/{job}/trigger", "{\"params\":5}", Map.of(), 400, "params"),
                new Case("idempotency key too long", "POST", "/api/v1/jobs/{job}/trigger", null,
                        Map.of("Idempotency-Key", "k".repeat(200)), 400, "Idempotency-Key"),
                new Case("job id not a number", "GET", "/api/v1/jobs/abc", null, Map.of(), 400, "id"),
                new Case("job id beyond long", "GET", "/api/v1/jobs/99999999999999999999", null, Map.of(), 400, "id"),
                new Case("form-encoded trigger", "POST", "/api/v1/jobs/{job}/trigger", "params=x",
                        Map.of("Content-Type", "application/x-www-form-urlencoded"), 415, "Content-Type"),
                new Case("unknown job", "GET", "/api/v1/jobs/987654321", null, Map.of(), 404, "id"),
                new Case("trigger of an unknown job", "POST", "/api/v1/jobs/987654321/trigger", null, Map.of(), 404, "id"),
                new Case("update of an unknown job", "PUT", "/api/v1/jobs/987654321", withName("\"shards\":1"), Map.of(), 404, "id"),
                new Case("pause of an unknown job", "POST", "/api/v1/jobs/987654321/pause", null, Map.of(), 404, "id"),
                new Case("unknown run status", "GET", "/api/v1/runs?status=DONE", null, Map.of(), 400, "status"),
                new Case("limit zero", "GET", "/api/v1/runs?limit=0", null, Map.of(), 400, "limit"),
                new Case("limit not a number", "GET", "/api/v1/runs?limit=lots", null, Map.of(), 400, "limit"),
                new Case("job filter not a number", "GET", "/api/v1/runs?jobId=x", null, Map.of(), 400, "jobId"),
                new Case("negative jobs offset", "GET", "/api/v1/jobs?offset=-1", null, Map.of(), 400, "offset"),
                new Case("negative log offset", "GET", "/api/v1/runs/1/shards/0/log?offset=-1", null, Map.of(), 400, "offset"),
                new Case("shard index not a number", "GET", "/api/v1/runs/1/shards/x/log", null, Map.of(), 400, "index"),
                new Case("unknown token role", "POST", "/api/v1/tokens", "{\"name\":\"t\",\"role\":\"ROOT\"}", Map.of(), 400, "role"),
                new Case("token without name", "POST", "/api/v1/tokens", "{\"role\":\"VIEWER\"}", Map.of(), 400, "name"),
                new Case("text/plain body", "POST", "/api/v1/jobs", "name=x", Map.of("Content-Type", "text/plain"), 415,
                        "Content-Type"),
                new Case("wrong method", "PATCH", "/api/v1/jobs/{job}", "{}", Map.of(), 405, "method"),
                new Case("no such endpoint", "GET", "/api/v1/nothing-here", null, Map.of(), 404, "path"));
    }

    private static long jobId;

    @BeforeEach
    void aJob() {
        if (jobId == 0) {
            jobId = echoJob(unique("target"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isA4xxProblemThatNamesTheField(Case c) {
        ApiClient.Reply reply = api.send(c.method(), c.path().replace("{job}", Long.toString(jobId)), ADMIN_TOKEN, c.body(),
                c.headers());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(c.status());
        assertThat(reply.isProblem()).as(reply.toString()).isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(c.status());
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.json().get("type").asText()).startsWith("urn:tessera:problem:");
        assertThat(reply.json().get("detail").asText()).isNotBlank();
        assertThat(reply.json().path("field").asText()).as(reply.toString()).startsWith(c.field());
        assertThat(reply.json().at("/errors/0/field").asText()).startsWith(c.field());
    }
}
