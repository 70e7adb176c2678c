package io.tessera.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The quota queues ApiTestBase configures, and a run's preemption history, as the API shows them. */
class QuotasApiTest extends ApiTestBase {

    @Autowired
    RunStore runs;

    @Test
    void theLeaderListsEachQueueWithItsLimitsAndTheDevicesItUses() {
        ApiClient.Reply reply = api.get("/api/v1/quotas", token(Role.VIEWER));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("counted").asBoolean()).isTrue();
        JsonNode queue = reply.json().get("queues").get(0);
        assertThat(queue.get("queue").asText()).isEqualTo("api-team");
        assertThat(queue.get("borrowing").asBoolean()).isFalse();
        assertThat(queue.get("limits")).hasSize(2);
        JsonNode h100 = queue.get("limits").get(0);
        assertThat(h100.get("kind").asText()).isEqualTo("GPU");
        assertThat(h100.get("model").asText()).isEqualTo("*H100*");
        assertThat(h100.get("quota").asInt()).isEqualTo(1);
        assertThat(h100.get("inUse").asInt()).isZero();
        assertThat(h100.get("borrowed").asInt()).isZero();
        assertThat(queue.get("limits").get(1).get("model").isNull()).isTrue();
        assertThat(api.get("/api/v1/quotas", null).status()).isEqualTo(401);
    }

    @Test
    void aRunShowsItsPreemptionsOldestFirst() {
        long job = createJob("{\"name\":\"" + unique("preempted") + "\",\"group\":\"" + GROUP + "\",\"handler\":\"echo\"}");
        long runId = api.post("/api/v1/jobs/" + job + "/trigger", token(Role.OPERATOR), null).json().get("runId").asLong();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "SUCCEEDED".equals(api.get("/api/v1/runs/" + runId, token(Role.VIEWER)).json().get("status").asText()));
        assertThat(api.get("/api/v1/runs/" + runId, token(Role.VIEWER)).json().get("preemptions")).isEmpty();

        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        RunChange.Preempted first = new RunChange.Preempted(runId, 0, 1, 77, "urgent", "preempted by run 77 of job urgent", at);
        runs.apply(List.of(first, new RunChange.Preempted(runId, 0, 2, 78, "urgent", "again", at.plusSeconds(60))));
        runs.apply(List.of(first)); // recorded twice (a write repeated after a failure): kept once

        JsonNode preemptions = api.get("/api/v1/runs/" + runId, token(Role.VIEWER)).json().get("preemptions");
        assertThat(preemptions).hasSize(2);
        assertThat(preemptions.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(preemptions.get(0).get("byRunId").asLong()).isEqualTo(77);
        assertThat(preemptions.get(0).get("byJob").asText()).isEqualTo("urgent");
        assertThat(preemptions.get(0).get("reason").asText()).isEqualTo("preempted by run 77 of job urgent");
        assertThat(Instant.parse(preemptions.get(0).get("at").asText())).isEqualTo(at);
        assertThat(preemptions.get(1).get("attempt").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/runs?jobId=" + job, token(Role.VIEWER)).json().get(0).get("preemptions")).isEqualTo(preemptions);
    }
}
