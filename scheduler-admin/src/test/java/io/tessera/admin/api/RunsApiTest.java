package io.tessera.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Triggers, runs, shard logs, cancels, executors and the cluster, with a real agent running the shards. */
class RunsApiTest extends ApiTestBase {

    @Test
    void aTriggeredRunSucceedsAndShowsItsShardsAndLog() {
        long job = createJob("{\"name\":\"" + unique("echo") + "\",\"group\":\"" + GROUP
                + "\",\"handler\":\"echo\",\"params\":\"hello\",\"shards\":2}");
        ApiClient.Reply triggered = api.post("/api/v1/jobs/" + job + "/trigger", token(Role.OPERATOR), null);
        assertThat(triggered.status()).as(triggered.toString()).isEqualTo(202);
        long runId = triggered.json().get("runId").asLong();

        JsonNode run = awaitRun(runId, "SUCCEEDED", Duration.ofSeconds(30)).json();
        assertThat(run.get("jobId").asLong()).isEqualTo(job);
        assertThat(run.get("trigger").asText()).isEqualTo("API");
        assertThat(run.get("scheduledAt").asText()).isNotEmpty();
        assertThat(run.get("finishedAt").asText()).isNotEmpty();
        assertThat(run.get("shards")).hasSize(2);
        JsonNode shard = run.get("shards").get(0);
        assertThat(shard.get("index").asInt()).isZero();
        assertThat(shard.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(shard.get("executorId").asText()).isEqualTo(agent.executorId());
        assertThat(shard.get("attempt").asInt()).isEqualTo(1);
        assertThat(shard.has("devices") && shard.has("startedAt") && shard.has("finishedAt") && shard.has("exitCode")
                && shard.has("message")).isTrue();

        ApiClient.Reply list = api.get("/api/v1/runs?jobId=" + job + "&status=SUCCEEDED&limit=10", token(Role.VIEWER));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        assertThat(list.json().get(0).get("id").asLong()).isEqualTo(runId);
        assertThat(list.json().get(0)).as("a listed run reads as the run itself")
                .isEqualTo(api.get("/api/v1/runs/" + runId, token(Role.VIEWER)).json());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ApiClient.Reply log = api.get("/api/v1/runs/" + runId + "/shards/1/log?offset=0", token(Role.VIEWER));
            assertThat(log.status()).as(log.toString()).isEqualTo(200);
            assertThat(log.json().get("text").asText()).contains("echo hello");
            assertThat(log.json().get("nextOffset").asLong()).isPositive();
        });
        assertThat(api.get("/api/v1/runs/" + runId + "/shards/7/log", token(Role.VIEWER)).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/runs/" + runId + "/cancel", token(Role.OPERATOR), null).status()).isEqualTo(409);
    }

    @Test
    void theTriggerOverridesParamsAndGpuShardsGetDevices() {
        long job = createJob("{\"name\":\"" + unique("gpu") + "\",\"group\":\"" + GROUP
                + "\",\"handler\":\"command\",\"params\":\"echo default\",\"shards\":2,"
                + "\"accelerators\":{\"kind\":\"GPU\",\"count\":1}}");
        long runId = api.post("/api/v1/jobs/" + job + "/trigger", ADMIN_TOKEN,
                "{\"params\":\"sh -c 'echo devices=$CUDA_VISIBLE_DEVICES'\"}").json().get("runId").asLong();
        JsonNode run = awaitRun(runId, "SUCCEEDED", Duration.ofSeconds(30)).json();
        assertThat(run.get("params").asText()).contains("CUDA_VISIBLE_DEVICES");
        assertThat(run.at("/shards/0/devices/0").asText()).startsWith("GPU:");
        assertThat(run.at("/shards/0/exitCode").asInt()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.get("/api/v1/runs/" + runId + "/shards/0/log", ADMIN_TOKEN).json().get("text").asText())
                .containsPattern("devices=[01]"));
    }

    @Test
    void theSameIdempotencyKeyFiresOneRun() {
        long job = echoJob(unique("once"));
        Map<String, String> key = Map.of("Idempotency-Key", "order-" + job);
        ApiClient.Reply first = api.send("POST", "/api/v1/jobs/" + job + "/trigger", token(Role.OPERATOR), null, key);
        ApiClient.Reply second = api.send("POST", "/api/v1/jobs/" + job + "/trigger", token(Role.OPERATOR), null, key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("runId").asLong()).isEqualTo(first.json().get("runId").asLong());
        ApiClient.Reply other = api.send("POST", "/api/v1/jobs/" + job + "/trigger", token(Role.OPERATOR), null,
                Map.of("Idempotency-Key", "another-" + job));
        assertThat(other.json().get("runId").asLong()).isNotEqualTo(first.json().get("runId").asLong());
        ApiClient.Reply runs = api.get("/api/v1/runs?jobId=" + job, ADMIN_TOKEN);
        assertThat(runs.json()).hasSize(2);
    }

    @Test
    void aRunningRunCanBeCancelled() {
        long job = createJob("{\"name\":\"" + unique("sleepy") + "\",\"group\":\"" + GROUP
                + "\",\"handler\":\"command\",\"params\":\"sleep 60\"}");
        long runId = api.post("/api/v1/jobs/" + job + "/trigger", ADMIN_TOKEN, null).json().get("runId").asLong();
        awaitRun(runId, "RUNNING", Duration.ofSeconds(30));
        ApiClient.Reply executors = api.get("/api/v1/executors", token(Role.VIEWER));
        assertThat(executors.status()).isEqualTo(200);
        JsonNode mine = null;
        for (JsonNode executor : executors.json()) {
            if (executor.get("id").asText().equals(agent.executorId())) {
                mine = executor;
            }
        }
        assertThat(mine).as(executors.toString()).isNotNull();
        assertThat(mine.get("group").asText()).isEqualTo(GROUP);
        assertThat(mine.get("address").asText()).isEqualTo(agent.address());
        assertThat(mine.get("devices")).hasSize(2);
        assertThat(mine.at("/devices/0/busy").isBoolean()).isTrue();
        assertThat(mine.get("runningShards").toString()).contains("\"runId\":" + runId);

        ApiClient.Reply cancelled = api.post("/api/v1/runs/" + runId + "/cancel", token(Role.OPERATOR), null);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        awaitRun(runId, "CANCELLED", Duration.ofSeconds(30));
        assertThat(auditStore.list(0, 500)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("run.cancel");
            assertThat(entry.target()).isEqualTo("run:" + runId);
        });
    }

    @Test
    void theClusterNamesTheLeaderAndItsHealth() {
        ApiClient.Reply cluster = api.get("/api/v1/cluster", token(Role.VIEWER));
        assertThat(cluster.status()).isEqualTo(200);
        JsonNode body = cluster.json();
        assertThat(body.get("leader").asText()).isEqualTo(body.get("self").asText());
        assertThat(body.get("admins")).hasSize(1);
        assertThat(body.at("/zookeeper/status").asText()).isEqualTo("UP");
        assertThat(body.at("/database/status").asText()).isEqualTo("UP");
        assertThat(body.get("executors").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void unknownRunsAreNotFound() {
        ApiClient.Reply reply = api.get("/api/v1/runs/987654321", token(Role.VIEWER));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.isProblem()).isTrue();
        assertThat(api.post("/api/v1/runs/987654321/cancel", token(Role.OPERATOR), null).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/987654321/shards/0/log", token(Role.VIEWER)).status()).isEqualTo(404);
    }
}
