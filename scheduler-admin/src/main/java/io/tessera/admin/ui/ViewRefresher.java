package io.tessera.admin.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import io.tessera.admin.config.TesseraProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Refreshes open views through server push: while a component is attached, its refresh runs every
 * {@code tessera.ui.refresh-interval} inside {@link UI#access}, and stops when it is detached (the
 * tab closed or navigated away). One small thread pool for every open view of this admin.
 */
@org.springframework.stereotype.Component
public class ViewRefresher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ViewRefresher.class);

    private final Duration interval;
    private final ScheduledExecutorService timer;

    public ViewRefresher(TesseraProperties properties) {
        this.interval = properties.ui().refreshInterval();
        AtomicInteger threads = new AtomicInteger();
        this.timer = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "ui-refresh-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public Duration interval() {
        return interval;
    }

    /**
     * Runs {@code refresh} every interval while {@code component} is attached. The refresh runs with
     * the UI's lock held, so it may change components directly.
     */
    public void whileAttached(com.vaadin.flow.component.Component component, Runnable refresh) {
        whileAttached(component, () -> Boolean.TRUE, loaded -> refresh.run());
    }

    /**
     * Like {@link #whileAttached(com.vaadin.flow.component.Component, Runnable)}, for refreshes that
     * wait on I/O (the database, executors): {@code load} runs on the refresher's thread without the
     * UI's lock, so a slow answer does not freeze the tab; then {@code show} gets what was loaded and
     * runs with the lock held.
     */
    public <T> void whileAttached(com.vaadin.flow.component.Component component, Supplier<T> load, Consumer<T> show) {
        component.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> refreshOnce(component, ui, load, show),
                    interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            Registration[] detach = new Registration[1];
            detach[0] = component.addDetachListener(event -> {
                task.cancel(false);
                detach[0].remove();
            });
        });
    }

    private <T> void refreshOnce(com.vaadin.flow.component.Component component, UI ui, Supplier<T> load, Consumer<T> show) {
        T loaded;
        try {
            loaded = load.get();
        } catch (RuntimeException e) {
            log.warn("Loading {} failed; it will be tried again in {}", component.getClass().getSimpleName(), interval, e);
            return;
        }
        ui.access(() -> {
            try {
                show.accept(loaded);
            } catch (RuntimeException e) {
                log.warn("Refreshing {} failed; it will be tried again in {}", component.getClass().getSimpleName(), interval, e);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
