package io.tessera.admin.ui.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import io.tessera.admin.api.ApiClient;
import io.tessera.admin.cluster.AdminNode;
import io.tessera.admin.engine.QueueUsage;
import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.overview.DeviceCount;
import io.tessera.admin.overview.MeasuredDevice;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.UiTestBase;
import io.tessera.admin.ui.charts.EChart;
import io.tessera.core.placement.QueueQuota;
import io.tessera.core.placement.QuotaLimit;
import io.tessera.core.zk.AdminCard;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard against the real admin, its one agent (two H100s) and real runs. */
class DashboardViewTest extends UiTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AdminNode adminNode;

    @Autowired
    DashboardLoader loader;

    @Test
    void showsThisAdminAsLeaderTheAgentAndItsGpus() {
        open();

        assertThat(span("dash-leader").getText()).isEqualTo(adminNode.adminId());
        assertThat(_get(Div.class, spec -> spec.withId("dash-admins")).getElement().getTextRecursively())
                .contains(adminNode.adminId());
        assertThat(Integer.parseInt(span("dash-admin-count").getText())).isEqualTo(1);
        assertThat(Integer.parseInt(span("dash-executors").getText())).isGreaterThanOrEqualTo(1);
        Grid<DeviceCount> devices = grid("dash-devices");
        List<DeviceCount> gpus = GridKt._findAll(devices).stream()
                .filter(count -> count.kind().equals("GPU") && count.model().equals("H100")).toList();
        assertThat(gpus).hasSize(1);
        assertThat(gpus.get(0).total()).isEqualTo(2);
        int row = GridKt._findAll(devices).indexOf(gpus.get(0));
        assertThat(GridKt._getFormatted(devices, row, "inUse")).matches("[0-2] / 2");
    }

    @Test
    void theRunsOfTheLastDayCountTheRunsThatSucceededAndFailedAndTheFailureIsListed() {
        open();
        Map<String, Long> before = runsByStatus();
        long echo = echoJob(unique("dash-ok"));
        long failing = createJob("{\"name\":\"" + unique("dash-bad") + "\",\"group\":\"" + GROUP
                + "\",\"handler\":\"command\",\"params\":\"sh -c 'exit 3'\"}");
        long ok1 = trigger(echo);
        long ok2 = trigger(echo);
        long bad = trigger(failing);
        awaitRun(ok1, "SUCCEEDED", Duration.ofSeconds(30));
        awaitRun(ok2, "SUCCEEDED", Duration.ofSeconds(30));
        awaitRun(bad, "FAILED", Duration.ofSeconds(30));

        awaitShown(() -> {
            Map<String, Long> after = runsByStatus();
            assertThat(after.get("SUCCEEDED")).isGreaterThanOrEqualTo(before.get("SUCCEEDED") + 2);
            assertThat(after.get("FAILED")).isGreaterThanOrEqualTo(before.get("FAILED") + 1);
            Grid<DashboardSnapshot.RunLine> failures = grid("dash-failures");
            List<Long> ids = GridKt._findAll(failures).stream().map(line -> line.run().id()).toList();
            assertThat(ids).contains(bad).doesNotContain(ok1, ok2);
            Anchor link = (Anchor) GridKt._getCellComponent(failures, ids.indexOf(bad), "run");
            assertThat(link.getHref()).isEqualTo("runs/" + bad);
            assertThat(GridKt._getFormatted(failures, ids.indexOf(bad), "job")).startsWith("dash-bad-");
        });
    }

    @Test
    void aRunThatWaitsForDevicesIsListedAsWaiting() {
        long greedy = createJob("{\"name\":\"" + unique("dash-greedy") + "\",\"group\":\"" + GROUP
                + "\",\"handler\":\"echo\",\"accelerators\":{\"kind\":\"GPU\",\"count\":4}}");
        long run = trigger(greedy);
        try {
            awaitRun(run, "WAITING", Duration.ofSeconds(30));
            open();

            Grid<DashboardSnapshot.RunLine> waiting = grid("dash-waiting");
            List<DashboardSnapshot.RunLine> lines = GridKt._findAll(waiting);
            assertThat(lines).extracting(line -> line.run().id()).contains(run);
            int row = lines.stream().map(line -> line.run().id()).toList().indexOf(run);
            assertThat(GridKt._getFormatted(waiting, row, "message")).isNotBlank();
            assertThat(((Anchor) GridKt._getCellComponent(waiting, row, "run")).getHref()).isEqualTo("runs/" + run);
        } finally {
            api.post("/api/v1/runs/" + run + "/cancel", ADMIN_TOKEN, null);
        }
        awaitRun(run, "CANCELLED", Duration.ofSeconds(30));
        awaitShown(() -> assertThat(GridKt._findAll(grid("dash-waiting")))
                .extracting(line -> ((DashboardSnapshot.RunLine) line).run().id()).doesNotContain(run));
    }

    @Test
    void theUtilisationChartShowsTheSampledGpus() {
        open();
        awaitShown(() -> {
            JsonNode option = option("dash-util-chart");
            JsonNode gpu = null;
            for (JsonNode series : option.get("series")) {
                if (series.get("name").asText().equals("GPU")) {
                    gpu = series;
                }
            }
            assertThat(gpu).as(option.toString()).isNotNull();
            assertThat(gpu.get("data")).isNotEmpty();
            JsonNode last = gpu.get("data").get(gpu.get("data").size() - 1);
            assertThat(last.get(1).asDouble()).isBetween(0.0, 100.0);
        });
    }

    @Test
    void theEngineLineSaysWhatTheLeaderPublishesAndAnOverloadWithItsQueues() {
        open();
        awaitShown(() -> assertThat(span("dash-engine").getText()).isEqualTo("Engine scheduling"));

        // What the leader's card says while its engine is behind (the reason as LoadWatch writes it).
        String reason = "runs launched up to 2400 ms after their fire time (queues: 7000 trigger(s), 0 write(s),"
                + " 3000 active run(s), 12 recorded ahead)";
        DashboardSnapshot now = loader.load();
        List<AdminCard> cards = now.admins().admins().stream()
                .map(card -> card.id().equals(now.admins().leaderId()) ? card.withEngine("OVERLOADED", reason) : card)
                .toList();
        DashboardSnapshot overloaded = new DashboardSnapshot(now.at(), new ClusterOverview.Admins(now.admins().leaderId(),
                now.admins().selfId(), cards), now.executors(), now.devices(), now.recentRuns(), now.usage(),
                now.waiting(), now.failures(), now.quotas());
        _get(DashboardView.class).show(overloaded);

        Span engine = span("dash-engine");
        assertThat(engine.getText()).isEqualTo("Engine overloaded: " + reason);
        assertThat(engine.getStyle().get("color")).isEqualTo("var(--lumo-error-text-color)");
    }

    @Test
    void eachDevicesUseIsShownAsItsAgentMeasuredItAndNoneWhereNothingWasMeasured() {
        open();
        // The test agent declares its H100s: nothing measures them, so nothing is shown for them.
        awaitShown(() -> assertThat(GridKt._findAll(grid("dash-device-use"))).isEmpty());

        // What the card of an agent whose nvidia-smi measured GPU 0 (and got [N/A] for GPU 1) carries.
        DashboardSnapshot now = loader.load();
        List<ClusterOverview.ExecutorState> measured = now.executors().stream().map(executor -> {
            List<ClusterOverview.DeviceState> devices = executor.devices().stream()
                    .map(state -> state.device().index() == 0 && state.device().kind().equals("GPU")
                            ? new ClusterOverview.DeviceState(state.device().withUsage(87, 40_112L), state.occupancy(), state.holder())
                            : state)
                    .toList();
            return new ClusterOverview.ExecutorState(executor.card(), devices, executor.running(), executor.reachable(), executor.error());
        }).toList();
        _get(DashboardView.class).show(new DashboardSnapshot(now.at(), now.admins(), measured, now.devices(), now.recentRuns(),
                now.usage(), now.waiting(), now.failures(), now.quotas()));

        Grid<MeasuredDevice> use = grid("dash-device-use");
        List<MeasuredDevice> rows = GridKt._findAll(use);
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.id().toString()).isEqualTo("GPU:0"));
        assertThat(GridKt._getFormatted(use, 0, "use")).isEqualTo("87 % · 39.2 GiB used");
        assertThat(GridKt._getFormatted(use, 0, "executor")).isEqualTo(rows.get(0).executorId());
        _assertNone(Span.class, spec -> spec.withId("dash-device-use-note"));

        // A big box: the card lists the busiest 20 and says how many were measured.
        List<io.tessera.core.model.Device> gpus = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> new io.tessera.core.model.Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, i, "GPU-" + i)
                        .withUsage(i * 4, 1000L * i))
                .toList();
        io.tessera.core.model.ExecutorCard big = new io.tessera.core.model.ExecutorCard("big-box", GROUP, "10.0.0.9:9999", gpus, 8,
                Map.of(), "test");
        ClusterOverview.ExecutorState bigBox = new ClusterOverview.ExecutorState(big, gpus.stream()
                .map(gpu -> new ClusterOverview.DeviceState(gpu, ClusterOverview.Occupancy.FREE, null)).toList(), List.of(), true, null);
        _get(DashboardView.class).show(new DashboardSnapshot(now.at(), now.admins(), List.of(bigBox), now.devices(), now.recentRuns(),
                now.usage(), now.waiting(), now.failures(), now.quotas()));
        List<MeasuredDevice> busiest = GridKt._findAll(grid("dash-device-use"));
        assertThat(busiest).hasSize(20).first().satisfies(row -> assertThat(row.id().toString()).isEqualTo("GPU:24"));
        assertThat(span("dash-device-use-note").getText()).isEqualTo("the busiest 20 of 25 measured devices");
    }

    @Test
    void theLeadersQuotaQueuesAreCountedAndWithoutAnyThereIsNoQuotaCard() {
        open();
        // The shared test admin (ApiTestBase) configures queue api-team, and leads: its use is counted.
        assertThat(loader.load().quotas().rows()).extracting(QuotaRow::queue, QuotaRow::devices, QuotaRow::quota, QuotaRow::inUse)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api-team", "GPU *H100*", 1, 0),
                        org.assertj.core.groups.Tuple.tuple("api-team", "GPU", 4, 0));
        _get(Div.class, spec -> spec.withId("dash-quota-card"));

        DashboardSnapshot now = loader.load();
        _get(DashboardView.class).show(new DashboardSnapshot(now.at(), now.admins(), now.executors(), now.devices(),
                now.recentRuns(), now.usage(), now.waiting(), now.failures(), DashboardSnapshot.Quotas.NONE));
        _assertNone(Div.class, spec -> spec.withId("dash-quota-card"));
        _assertNone(Grid.class, spec -> spec.withId("dash-quotas"));
    }

    @Test
    void theQuotaCardShowsEachLimitWithWhatTheLeaderCountsInUseAndBorrowed() {
        open();
        List<QueueUsage> usage = List.of(
                new QueueUsage("team-a", true, List.of(new QueueUsage.Limit("GPU", "*H100*", 8, 10),
                        new QueueUsage.Limit("GPU", null, 4, 1))),
                new QueueUsage("team-b", false, List.of(new QueueUsage.Limit("GPU", null, 2, 0))));
        showQuotas(new DashboardSnapshot.Quotas(QuotaRow.counted(usage), null));

        Grid<QuotaRow> quotas = grid("dash-quotas");
        assertThat(GridKt._size(quotas)).isEqualTo(3);
        assertThat(row(quotas, 0)).containsExactly("team-a", "GPU *H100*", "8", "10", "2", "yes");
        assertThat(row(quotas, 1)).containsExactly("team-a", "GPU", "4", "1", "0", "yes");
        assertThat(row(quotas, 2)).containsExactly("team-b", "GPU", "2", "0", "0", "no");
        assertThat(quotas.getColumnByKey("inUse").isVisible()).isTrue();
        _assertNone(Span.class, spec -> spec.withId("dash-quotas-note"));
    }

    @Test
    void whereThisAdminDoesNotLeadTheQuotaCardShowsTheLimitsAndSaysTheLeaderCountsTheUse() {
        open();
        List<QueueQuota> configured = List.of(new QueueQuota("team-b", List.of(QuotaLimit.parse("GPU:2")), false),
                new QueueQuota("team-a", List.of(QuotaLimit.parse("GPU:8:*H100*")), true));
        showQuotas(DashboardLoader.quotas(configured, () -> CompletableFuture.completedFuture(Optional.empty())));

        Grid<QuotaRow> quotas = grid("dash-quotas");
        assertThat(GridKt._findAll(quotas)).extracting(QuotaRow::queue).containsExactly("team-a", "team-b");
        assertThat(GridKt._findAll(quotas)).allSatisfy(row -> assertThat(row.counted()).isFalse());
        assertThat(GridKt._getFormatted(quotas, 0, "devices")).isEqualTo("GPU *H100*");
        assertThat(GridKt._getFormatted(quotas, 0, "quota")).isEqualTo("8");
        assertThat(quotas.getColumnByKey("inUse").isVisible()).as("nobody counted here").isFalse();
        assertThat(quotas.getColumnByKey("borrowed").isVisible()).isFalse();
        assertThat(span("dash-quotas-note").getText()).isEqualTo(DashboardLoader.COUNTED_BY_THE_LEADER);
    }

    @Test
    void theChartLibraryIsServedWithoutALogin() {
        String path = EChart.SCRIPT.replace("context://", "/");
        ApiClient.Reply script = api.get(path, null);
        assertThat(script.status()).as(path).isEqualTo(200);
        assertThat(script.body()).contains("echarts");
    }

    /** Shows the dashboard as it is now, with these quota queues. */
    private void showQuotas(DashboardSnapshot.Quotas quotas) {
        DashboardSnapshot now = loader.load();
        _get(DashboardView.class).show(new DashboardSnapshot(now.at(), now.admins(), now.executors(), now.devices(),
                now.recentRuns(), now.usage(), now.waiting(), now.failures(), quotas));
        _get(Div.class, spec -> spec.withId("dash-quota-card"));
    }

    private static List<String> row(Grid<QuotaRow> grid, int row) {
        return List.of("queue", "devices", "quota", "inUse", "borrowed", "borrowing").stream()
                .map(key -> GridKt._getFormatted(grid, row, key)).toList();
    }

    private void open() {
        signIn(Role.VIEWER);
        UI.getCurrent().navigate(DashboardView.class);
        _get(DashboardView.class);
    }

    private long trigger(long jobId) {
        ApiClient.Reply reply = api.post("/api/v1/jobs/" + jobId + "/trigger", ADMIN_TOKEN, null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().get("runId").asLong();
    }

    /** Lets the view's own server-push refresh run until it shows what {@code assertion} expects. */
    private static void awaitShown(Runnable assertion) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            MockVaadin.runUIQueue();
            assertion.run();
        });
    }

    private static Map<String, Long> runsByStatus() {
        JsonNode option = option("dash-runs-chart");
        Map<String, Long> counts = new HashMap<>();
        JsonNode statuses = option.at("/yAxis/data");
        JsonNode bars = option.at("/series/0/data");
        for (int i = 0; i < statuses.size(); i++) {
            counts.put(statuses.get(i).asText(), bars.get(i).get("value").asLong());
        }
        return counts;
    }

    private static JsonNode option(String chartId) {
        try {
            return JSON.readTree(_get(EChart.class, spec -> spec.withId(chartId)).getOption());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Span span(String id) {
        return _get(Span.class, spec -> spec.withId(id));
    }

    @SuppressWarnings("unchecked")
    private static <T> Grid<T> grid(String id) {
        return _get(Grid.class, spec -> spec.withId(id));
    }
}
