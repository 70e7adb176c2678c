package io.tessera.admin.ui.executors;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.Occupancy;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.LoginView;
import io.tessera.admin.ui.UiTestBase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The executors view against the real admin and its one agent (group api, two H100s). */
class ExecutorsViewTest extends UiTestBase {

    @Test
    void listsTheAgentWithItsGroupAddressAndBothDevices() {
        open();

        Div card = _get(Div.class, spec -> spec.withId(ExecutorPanel.domId("executor-", agent.executorId())));
        String text = card.getElement().getTextRecursively();
        assertThat(text).contains(agent.executorId(), "group " + GROUP, agent.address(), "answering");
        Grid<DeviceState> devices = devices();
        assertThat(GridKt._size(devices)).isEqualTo(2);
        assertThat(GridKt._getFormattedRow(devices, 0)).startsWith("GPU:0", "H100", "79.6 GiB");
        assertThat(GridKt._getFormattedRow(devices, 1)).startsWith("GPU:1", "H100", "79.6 GiB");
    }

    @Test
    void aDeviceShowsBusyWithItsShardWhileAJobHoldsItAndFreeAfterwards() {
        long job = createJob("{\"name\":\"" + unique("exec-sleep") + "\",\"group\":\"" + GROUP
                + "\",\"handler\":\"command\",\"params\":\"sleep 5\",\"accelerators\":{\"kind\":\"GPU\",\"count\":1}}");
        long run = api.post("/api/v1/jobs/" + job + "/trigger", ADMIN_TOKEN, null).json().get("runId").asLong();
        awaitRun(run, "RUNNING", Duration.ofSeconds(30));
        open();

        List<DeviceState> held = GridKt._findAll(devices()).stream()
                .filter(device -> device.holder() != null && device.holder().runId() == run).toList();
        assertThat(held).hasSize(1);
        DeviceState busy = held.get(0);
        assertThat(busy.occupancy()).isEqualTo(Occupancy.BUSY);
        int row = busy.id().index();
        assertThat(state(row)).isEqualTo("BUSY");
        Component holder = GridKt._getCellComponent(devices(), row, "holder");
        Anchor link = _get(holder, Anchor.class);
        assertThat(link.getHref()).isEqualTo("runs/" + run);
        assertThat(link.getText()).isEqualTo("run #" + run + " shard 0");
        assertThat(holder.getElement().getTextRecursively()).contains("exec-sleep-");

        awaitRun(run, "SUCCEEDED", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            MockVaadin.runUIQueue();
            DeviceState after = GridKt._findAll(devices()).get(row);
            assertThat(after.occupancy()).isEqualTo(Occupancy.FREE);
            assertThat(after.holder()).isNull();
            assertThat(state(row)).isEqualTo("FREE");
        });
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() {
        UI.getCurrent().navigate(ExecutorsView.class);
        assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0)).isInstanceOf(LoginView.class);
    }

    private void open() {
        signIn(Role.VIEWER);
        UI.getCurrent().navigate(ExecutorsView.class);
        _get(ExecutorsView.class);
    }

    private Grid<DeviceState> devices() {
        @SuppressWarnings("unchecked")
        Grid<DeviceState> grid = _get(Grid.class, spec -> spec.withId(ExecutorPanel.domId("devices-", agent.executorId())));
        return grid;
    }

    private String state(int row) {
        return GridKt._getCellComponent(devices(), row, "state").getElement().getAttribute("data-state");
    }
}
