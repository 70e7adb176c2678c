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
        component.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> ui.access(() -> {
                try {
                    refresh.run();
                } catch (RuntimeException e) {
                    log.warn("Refreshing {} failed; it will be tried again in {}", component.getClass().getSimpleName(), interval, e);
                }
            }), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            Registration[] detach = new Registration[1];
            detach[0] = component.addDetachListener(event -> {
                task.cancel(false);
                detach[0].remove();
            });
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
