package io.tessera.admin.ui.executors;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.admin.overview.ClusterOverview.Occupancy;
import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** The device table of one executor: the unhealthy badge and measured use, shown only where there is something to show. */
class ExecutorPanelTest {

    private static final Device HEALTHY = new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 0, "GPU-a");
    private static final Device BAD = new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 1, "GPU-b")
            .withHealth("2 uncorrectable ECC error(s) since the driver loaded");

    @BeforeEach
    void setUp() {
        MockVaadin.setup();
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
    }

    @Test
    void anUnhealthyDeviceCarriesABadgeThatSaysWhy() {
        Grid<DeviceState> grid = show(List.of(HEALTHY, BAD));

        Component healthy = GridKt._getCellComponent(grid, 0, "state");
        Component bad = GridKt._getCellComponent(grid, 1, "state");
        assertThat(healthy.getElement().getAttribute("data-healthy")).isEqualTo("true");
        assertThat(healthy.getElement().getTextRecursively()).isEqualTo("free");
        assertThat(bad.getElement().getAttribute("data-healthy")).isEqualTo("false");
        assertThat(bad.getElement().getAttribute("data-state")).isEqualTo("FREE");
        assertThat(bad.getElement().getTextRecursively()).contains("free", "unhealthy");
        assertThat(bad.getElement().getChild(1).getAttribute("data-health")).isEqualTo(BAD.health());
        assertThat(bad.getElement().getChild(1).getAttribute("title")).contains("uncorrectable ECC");
    }

    @Test
    void useIsShownOnlyWhereTheAgentMeasuredIt() {
        Grid<DeviceState> unmeasured = show(List.of(HEALTHY));
        assertThat(unmeasured.getColumnByKey("use").isVisible()).isFalse();

        Grid<DeviceState> measured = show(List.of(HEALTHY.withUsage(87, 40_112L), BAD));
        assertThat(measured.getColumnByKey("use").isVisible()).isTrue();
        assertThat(ExecutorPanel.use(HEALTHY.withUsage(87, 40_112L))).isEqualTo("87 % · 39.2 GiB used");
        assertThat(ExecutorPanel.use(HEALTHY.withUsage(null, 512L))).isEqualTo("512 MiB used");
        assertThat(ExecutorPanel.use(BAD)).isEmpty();
    }

    private static Grid<DeviceState> show(List<Device> devices) {
        ExecutorCard card = new ExecutorCard("exec-1", "gpu", "10.0.0.5:9999", devices, 4, Map.of(), "1");
        ExecutorPanel panel = new ExecutorPanel("exec-1");
        UI.getCurrent().removeAll();
        UI.getCurrent().add(panel);
        panel.show(new ExecutorState(card, devices.stream().map(d -> new DeviceState(d, Occupancy.FREE, null)).toList(),
                List.of(), true, null));
        @SuppressWarnings("unchecked")
        Grid<DeviceState> grid = _get(panel, Grid.class);
        return grid;
    }
}
