package io.tessera.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a job's row can hold and what a bad row does: any accelerator model round-trips, a row the
 * admin cannot read spoils nothing else, and values too long for their columns are 400s naming the
 * field, not "database unavailable".
 */
class JobRowsApiTest extends ApiTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAcceleratorModelWithColonsRoundTripsAndSpoilsNothing() {
        String name = unique("colon-model");
        ApiClient.Reply created = api.post("/api/v1/jobs", ADMIN_TOKEN, """
                {"name":"%s","group":"%s","handler":"echo",
                 "accelerators":{"kind":"GPU","count":1,"model":"H100:SXM","minMemoryMb":0}}""".formatted(name, GROUP));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        ApiClient.Reply list = api.get("/api/v1/jobs?limit=1000", token(Role.VIEWER));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode listed = byId(list.json(), id);
        assertThat(listed.at("/accelerators/model").asText()).isEqualTo("H100:SXM");
        assertThat(listed.at("/accelerators/minMemoryMb").asLong()).isZero();

        String memory = unique("colon-model-memory");
        ApiClient.Reply withMemory = api.post("/api/v1/jobs", ADMIN_TOKEN, """
                {"name":"%s","group":"%s","handler":"echo",
                 "accelerators":{"kind":"GPU","count":2,"model":"a:b::c:40000","minMemoryMb":81000}}""".formatted(memory, GROUP));
        assertThat(withMemory.status()).as(withMemory.toString()).isEqualTo(201);
        ApiClient.Reply read = api.get("/api/v1/jobs/" + withMemory.json().get("id").asLong(), token(Role.VIEWER));
        assertThat(read.json().at("/accelerators/model").asText()).isEqualTo("a:b::c:40000");
        assertThat(read.json().at("/accelerators/minMemoryMb").asLong()).isEqualTo(81000);

        assertThat(api.send("DELETE", "/api/v1/jobs/" + id, ADMIN_TOKEN, null).status()).isEqualTo(204);
    }

    @Test
    void aModelWithControlCharactersIsRefusedAtTheEdge() {
        ApiClient.Reply refused = api.post("/api/v1/jobs", ADMIN_TOKEN, """
                {"name":"%s","group":"%s","handler":"echo",
                 "accelerators":{"kind":"GPU","count":1,"model":"H100\\nSXM"}}""".formatted(unique("control"), GROUP));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("accelerators.model");
    }

    @Test
    void aRowTheAdminCannotReadIsLeftOutNamedAndDeletableWhileEverythingElseWorks() {
        long good = echoJob(unique("good"));
        long broken = echoJob(unique("broken"));
        jdbc.update("UPDATE job SET routing = 'NEAREST' WHERE id = ?", broken);

        ApiClient.Reply list = api.get("/api/v1/jobs?limit=1000", token(Role.VIEWER));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(ids(list.json())).contains(good).doesNotContain(broken);
        assertThat(list.header("X-Unreadable-Jobs")).hasValueSatisfying(ids -> assertThat(ids.split(",")).contains(Long.toString(broken)));

        ApiClient.Reply one = api.get("/api/v1/jobs/" + broken, token(Role.VIEWER));
        assertThat(one.status()).as(one.toString()).isEqualTo(409);
        assertThat(one.json().get("detail").asText()).contains("cannot read", "NEAREST");

        long another = echoJob(unique("after-broken"));
        assertThat(api.get("/api/v1/jobs/" + another, token(Role.VIEWER)).status()).isEqualTo(200);

        assertThat(api.send("DELETE", "/api/v1/jobs/" + broken, token(Role.OPERATOR), null).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/api/v1/jobs/" + broken, ADMIN_TOKEN, null).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/jobs/" + broken, token(Role.VIEWER)).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/jobs?limit=1000", token(Role.VIEWER)).header("X-Unreadable-Jobs")).isEmpty();
    }

    @Test
    void aValidCronLongerThanItsColumnIsA400NamingTheField() {
        String everySecond = IntStream.range(0, 60).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String cron = everySecond + " " + everySecond + " 0 * * ?";
        assertThat(cron.length()).isGreaterThan(255);

        ApiClient.Reply refused = api.post("/api/v1/jobs", ADMIN_TOKEN, """
                {"name":"%s","group":"%s","handler":"echo","schedule":{"type":"CRON","expression":"%s"}}"""
                .formatted(unique("long-cron"), GROUP, cron));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("schedule.expression");
        assertThat(refused.json().get("detail").asText()).contains("at most 255 characters");
    }

    @Test
    void childIdsLongerThanTheirColumnAreA400NamingTheField() {
        long child = echoJob(unique("child"));
        String children = String.join(",", Collections.nCopies(4000 / (Long.toString(child).length() + 1) + 1,
                Long.toString(child)));

        ApiClient.Reply refused = api.post("/api/v1/jobs", ADMIN_TOKEN, """
                {"name":"%s","group":"%s","handler":"echo","childJobIds":[%s]}""".formatted(unique("many-children"), GROUP, children));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("childJobIds");
        assertThat(engine.health().status().mode()).isEqualTo(io.tessera.admin.engine.EngineHealth.Mode.SCHEDULING);
    }

    private static JsonNode byId(JsonNode jobs, long id) {
        for (JsonNode job : jobs) {
            if (job.get("id").asLong() == id) {
                return job;
            }
        }
        throw new AssertionError("job " + id + " is not in " + jobs);
    }

    private static java.util.List<Long> ids(JsonNode jobs) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        jobs.forEach(job -> ids.add(job.get("id").asLong()));
        return ids;
    }
}
