package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import io.tessera.admin.engine.JobService;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.ui.UiTestBase;
import io.tessera.core.model.JobDefinition;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;

/** The jobs views' tests: the real admin behind them, and short ways to reach a component by its id. */
abstract class JobsUiTestBase extends UiTestBase {

    @Autowired
    protected JobStore jobStore;
    @Autowired
    protected RunStore runStore;
    @Autowired
    protected JobService jobService;
    @Autowired
    protected AuditStore audit;

    /** Stores a job directly, as someone else might have, and returns it with its id. */
    protected JobDefinition stored(JobDefinition.Builder job) {
        return jobService.create(job.build(), "test");
    }

    protected static JobDefinition.Builder echo(String name) {
        return JobDefinition.builder(name).group(GROUP).handler("echo").params("hi");
    }

    protected static void open(String location) {
        UI.getCurrent().navigate(location);
    }

    /** The view the mocked browser shows now. */
    protected static Object currentView() {
        return UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0);
    }

    protected static <T extends Component> T byId(Class<T> type, String id) {
        return _get(type, spec -> spec.withId(id));
    }

    protected static void click(String buttonId) {
        _click(byId(Button.class, buttonId));
    }

    @SuppressWarnings("unchecked")
    protected static <V> void set(String fieldId, V value) {
        _setValue((HasValue<?, V>) byId(Component.class, fieldId), value);
    }
}
