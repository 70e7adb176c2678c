package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.tessera.admin.engine.CommandJobPolicy;
import io.tessera.admin.engine.DatabaseFailures;
import io.tessera.admin.engine.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

/** The jobs views' toasts, and how a failed action reads: what went wrong, never a stack trace. */
final class Notices {

    private static final Logger log = LoggerFactory.getLogger(Notices.class);

    private Notices() {
    }

    static Notification success(String text) {
        Notification notification = Notification.show(text, 5000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        return notification;
    }

    static Notification error(String text) {
        Notification notification = Notification.show(text, 8000, Notification.Position.MIDDLE);
        notification.addThemeVariants(NotificationVariant.LUMO_ERROR);
        notification.setId("jobs-error");
        return notification;
    }

    /**
     * Runs an action and tells the user what went wrong if it fails: a refusal, a job that is gone,
     * the database being away, or anything else (which is logged with its stack trace).
     *
     * @param what what the action does, as in "Pausing failed"
     * @return whether it ran through
     */
    static boolean attempt(String what, Runnable action) {
        try {
            action.run();
            return true;
        } catch (AccessDeniedException e) {
            error(what + " is not allowed: " + e.getMessage());
        } catch (CommandJobPolicy.RefusedException e) {
            error(what + " is not allowed: only an ADMIN may " + e.action());
        } catch (RunService.UnknownJobException e) {
            error(what + " failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            error(what + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            if (DatabaseFailures.isRefusedData(e)) {
                log.info("{} refused by the database as bad input: {}", what, DatabaseFailures.rootMessage(e));
                error(what + " failed: the database refused a value (" + DatabaseFailures.rootMessage(e) + ")");
            } else if (DatabaseFailures.isDatabaseFailure(e)) {
                log.warn("{} failed: the database is unavailable ({})", what, DatabaseFailures.rootMessage(e));
                error(what + " failed: the database is unavailable; try again shortly");
            } else {
                log.error("{} failed", what, e);
                error(what + " failed: " + e.getClass().getSimpleName() + "; the admin's log has the details");
            }
        }
        return false;
    }
}
