package io.tessera.admin.ui.executors;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.admin.ui.ViewRefresher;
import jakarta.annotation.security.RolesAllowed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every live executor, one card each, with its group, address, labels and devices (busy or free, and
 * which shard holds a busy one). Refreshes itself through server push while open.
 */
@Route("executors")
@PageTitle("Executors · Tessera")
@RolesAllowed("VIEWER")
public class ExecutorsView extends VerticalLayout {

    private final Span count = new Span();
    private final Paragraph empty = new Paragraph("No executor is registered. Start an agent pointed at this cluster's ZooKeeper.");
    private final Div list = new Div();
    private Map<String, ExecutorPanel> panels = new LinkedHashMap<>();

    public ExecutorsView(ClusterOverview overview, ViewRefresher refresher) {
        setWidthFull();
        count.setId("executors-count");
        count.getStyle().set("color", "var(--lumo-secondary-text-color)");
        empty.setId("executors-empty");
        list.setId("executors-list");
        list.setWidthFull();
        list.getStyle().set("display", "grid").set("gap", "var(--lumo-space-m)")
                .set("grid-template-columns", "repeat(auto-fit, minmax(min(100%, 30rem), 1fr))");
        add(new H2("Executors"), count, empty, list);
        show(overview.executors());
        refresher.whileAttached(this, overview::executors, this::show);
    }

    void show(List<ExecutorState> executors) {
        List<String> ids = executors.stream().map(executor -> executor.card().id()).toList();
        if (!ids.equals(new ArrayList<>(panels.keySet()))) {
            Map<String, ExecutorPanel> next = new LinkedHashMap<>();
            for (String id : ids) {
                next.put(id, panels.containsKey(id) ? panels.get(id) : new ExecutorPanel(id));
            }
            panels = next;
            list.removeAll();
            panels.values().forEach(list::add);
        }
        executors.forEach(executor -> panels.get(executor.card().id()).show(executor));
        long unreachable = executors.stream().filter(executor -> !executor.reachable()).count();
        count.setText(executors.size() + (executors.size() == 1 ? " live executor" : " live executors")
                + (unreachable == 0 ? "" : ", " + unreachable + " not answering"));
        empty.setVisible(executors.isEmpty());
    }
}
