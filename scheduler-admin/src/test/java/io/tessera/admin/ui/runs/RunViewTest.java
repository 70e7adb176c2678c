package io.tessera.admin.ui.runs;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.UiTestBase;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A run's page against runs the real agent executes: status and progress that refresh themselves,
 * shards, a log read from the agent and followed while the shard writes it, cancel by role, and an
 * unknown run. Pending UI work (server push) is run by {@link MockVaadin#clientRoundtrip()}.
 */
class RunViewTest extends UiTestBase {

    private static final Pattern TICK = Pattern.compile("(?m)^tick-(\\d+)$");

    @Autowired
    RunService runService;
    @Autowired
    AuditStore audit;
    @Autowired
    RunStore runStore;

    @Test
    void aFinishedRunShowsSucceededFullProgressAndTheEchoedParamsInItsLog() {
        long job = echoJob(unique("ui-run-echo"));
        long runId = runService.trigger(job, "hello from the run page", null, TriggerKind.MANUAL).id();
        signIn(Role.VIEWER);
        UI.getCurrent().navigate("runs/" + runId);

        awaitUi(Duration.ofSeconds(30), () -> assertThat(text("run-status")).isEqualTo("SUCCEEDED"));
        assertThat(_get(ProgressBar.class, spec -> spec.withId("run-progress")).getValue()).isEqualTo(1.0);
        assertThat(text("run-progress-text")).isEqualTo("1 of 1 shard finished");
        assertThat(text("run-trigger")).isEqualTo("MANUAL");
        assertThat(_get(com.vaadin.flow.component.html.H2.class, spec -> spec.withId("run-title")).getText())
                .isEqualTo("Run " + runId + " · " + jobName(job));
        Grid<ShardRun> shards = shardsGrid();
        assertThat(GridKt._size(shards)).isEqualTo(1);
        assertThat(GridKt._getFormatted(shards, 0, "executor")).isEqualTo(agent.executorId());
        assertThat(GridKt._get(shards, 0).attempt()).isEqualTo(1);
        _assertNone(Grid.class, spec -> spec.withId("preemptions-grid"));
        _assertNone(Button.class, spec -> spec.withId("run-cancel"));

        openLog(0);
        awaitUi(Duration.ofSeconds(10), () -> {
            assertThat(logText()).contains("echo hello from the run page");
            assertThat(text("shard-log-state")).startsWith("The whole log");
        });
        assertThat(_get(Pre.class, spec -> spec.withId("shard-log")).getClassNames()).contains("tessera-log");
        awaitUi(Duration.ofSeconds(5), () -> _assertNone(Div.class, spec -> spec.withId("run-live")));
    }

    @Test
    void aViewerFollowsARunningShardsLogButMayNotCancel() {
        long runId = startTicking(unique("ui-run-ticks"), 100);
        signIn(Role.VIEWER);
        UI.getCurrent().navigate("runs/" + runId);
        assertThat(text("run-status")).isEqualTo("RUNNING");
        _assertNone(Button.class, spec -> spec.withId("run-cancel"));
        RunView view = _get(RunView.class);
        assertThatThrownBy(view::cancelRun).as("the server refuses what the page hides").isInstanceOf(AccessDeniedException.class);

        openLog(0);
        awaitUi(Duration.ofSeconds(10), () -> assertThat(ticks()).isNotEmpty());
        int firstRead = ticks().size();
        awaitUi(Duration.ofSeconds(15), () -> assertThat(ticks()).as("appended by the page's own refresh")
                .hasSizeGreaterThan(firstRead));

        awaitUi(Duration.ofSeconds(30), () -> assertThat(text("run-status")).isEqualTo("SUCCEEDED"));
        awaitUi(Duration.ofSeconds(15), () -> {
            assertThat(ticks()).hasSize(100);
            assertThat(text("shard-log-state")).startsWith("The whole log");
            _assertNone(Div.class, spec -> spec.withId("run-live"));
        });
        assertThat(text("run-progress-text")).isEqualTo("1 of 1 shard finished");
        assertThat(awaitRun(runId, "SUCCEEDED", Duration.ofSeconds(1)).json().get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anOperatorCancelsARunningRunAndItsLogStops() {
        long runId = startTicking(unique("ui-run-cancel"), 600);
        signIn(Role.OPERATOR);
        UI.getCurrent().navigate("runs/" + runId);
        openLog(0);
        awaitUi(Duration.ofSeconds(10), () -> assertThat(ticks()).isNotEmpty());

        _click(_get(Button.class, spec -> spec.withId("run-cancel")));
        _click(_get(Button.class, spec -> spec.withId("cancel-confirm")));
        awaitUi(Duration.ofSeconds(30), () -> assertThat(text("run-status")).isEqualTo("CANCELLED"));
        _assertNone(Button.class, spec -> spec.withId("run-cancel"));
        awaitUi(Duration.ofSeconds(15), () -> {
            assertThat(text("shard-log-state")).startsWith("The whole log");
            _assertNone(Div.class, spec -> spec.withId("run-live"));
        });
        assertThat(ticks()).as("stopped long before its 600 lines").hasSizeLessThan(600);
        awaitRun(runId, "CANCELLED", Duration.ofSeconds(5));
        assertThat(audit.list(0, 500)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("run.cancel");
            assertThat(entry.target()).isEqualTo("run:" + runId);
            assertThat(entry.actor()).isEqualTo("operator");
        });
    }

    @Test
    void aPreemptedRunListsItsPreemptionsWithALinkToTheRunTheyMadeRoomForAndWhy() {
        long job = echoJob(unique("ui-run-preempted"));
        long preempted = runService.trigger(job, null, null, TriggerKind.MANUAL).id();
        long urgent = runService.trigger(job, null, null, TriggerKind.MANUAL).id();
        awaitRun(preempted, "SUCCEEDED", Duration.ofSeconds(30));
        awaitRun(urgent, "SUCCEEDED", Duration.ofSeconds(30));
        Instant first = Instant.parse("2026-03-01T10:15:30Z");
        runStore.apply(List.of(
                new RunChange.Preempted(preempted, 0, 1, urgent, "urgent-train", "priority 10 over 0", first),
                new RunChange.Preempted(preempted, 0, 2, urgent, "urgent-train", "quota team-a 8/8 GPU *H100* given back",
                        first.plusSeconds(60))));
        signIn(Role.VIEWER);

        UI.getCurrent().navigate("runs/" + preempted);

        Grid<RunChange.Preempted> history = preemptionsGrid();
        assertThat(GridKt._size(history)).isEqualTo(2);
        assertThat(GridKt._getFormatted(history, 0, "shard")).isEqualTo("0");
        assertThat(GridKt._getFormatted(history, 0, "attempt")).isEqualTo("1");
        assertThat(GridKt._getFormatted(history, 0, "at")).isEqualTo("2026-03-01 10:15:30");
        assertThat(GridKt._getFormatted(history, 0, "byJob")).isEqualTo("urgent-train");
        assertThat(GridKt._getFormatted(history, 0, "reason")).isEqualTo("priority 10 over 0");
        Anchor link = (Anchor) GridKt._getCellComponent(history, 0, "byRun");
        assertThat(link.getHref()).isEqualTo("runs/" + urgent);
        assertThat(link.getText()).isEqualTo("Run " + urgent);
        assertThat(GridKt._getFormatted(history, 1, "attempt")).isEqualTo("2");
        assertThat(GridKt._getFormatted(history, 1, "reason")).isEqualTo("quota team-a 8/8 GPU *H100* given back");

        UI.getCurrent().navigate("runs/" + urgent);
        _assertNone(Grid.class, spec -> spec.withId("preemptions-grid"));
    }

    @Test
    void anUnknownRunSaysSo() {
        signIn(Role.VIEWER);
        UI.getCurrent().navigate("runs/987654321");
        assertThat(_get(Paragraph.class, spec -> spec.withId("run-not-found")).getText()).isEqualTo("run 987654321 not found");
        UI.getCurrent().navigate("runs/abc");
        assertThat(_get(Paragraph.class, spec -> spec.withId("run-not-found")).getText()).isEqualTo("run abc not found");
    }

    /** Triggers a command job (which needs an ADMIN to create) printing tick-1..tick-N, one every 0.1 s; waits until it runs. */
    private long startTicking(String name, int ticks) {
        long job = createJob("{\"name\":\"" + name + "\",\"group\":\"" + GROUP + "\",\"handler\":\"command\","
                + "\"params\":\"sh -c 'for i in $(seq 1 " + ticks + "); do echo tick-$i; sleep 0.1; done'\"}");
        long runId = runService.trigger(job, null, null, TriggerKind.MANUAL).id();
        awaitRun(runId, "RUNNING", Duration.ofSeconds(30));
        return runId;
    }

    /** The tick numbers the log panel shows, checked to be each line once, in order, from the first. */
    private static List<Integer> ticks() {
        Matcher matcher = TICK.matcher(logText());
        List<Integer> ticks = matcher.results().map(match -> Integer.parseInt(match.group(1))).toList();
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i)).as("line %d of %s", i, ticks).isEqualTo(i + 1);
        }
        return ticks;
    }

    /** Clicks a shard's Log button, which the shards grid renders in its row. */
    private static void openLog(int shard) {
        Button button = (Button) GridKt._getCellComponent(shardsGrid(), shard, "log");
        assertThat(button.getId()).contains("shard-log-" + shard);
        _click(button);
    }

    private static String logText() {
        return _get(Pre.class, spec -> spec.withId("shard-log")).getText();
    }

    private static String text(String id) {
        return _get(Span.class, spec -> spec.withId(id)).getText();
    }

    private String jobName(long jobId) {
        return api.get("/api/v1/jobs/" + jobId, ADMIN_TOKEN).json().get("name").asText();
    }

    @SuppressWarnings("unchecked")
    private static Grid<RunChange.Preempted> preemptionsGrid() {
        return _get(Grid.class, spec -> spec.withId("preemptions-grid"));
    }

    @SuppressWarnings("unchecked")
    private static Grid<ShardRun> shardsGrid() {
        return _get(Grid.class, spec -> spec.withId("shards-grid"));
    }

    /** Waits for a check to pass, letting the mocked browser take what the server pushed in between. */
    private static void awaitUi(Duration within, ThrowingRunnable check) {
        await().atMost(within).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            MockVaadin.clientRoundtrip();
            check.run();
        });
    }
}
