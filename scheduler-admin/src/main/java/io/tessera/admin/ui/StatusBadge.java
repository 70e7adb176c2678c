package io.tessera.admin.ui;

import com.vaadin.flow.component.html.Span;
import io.tessera.core.model.RunStatus;

/** A run's or shard's status as a coloured Lumo badge, the same in every view. */
public final class StatusBadge {

    private StatusBadge() {
    }

    public static Span of(RunStatus status) {
        Span badge = new Span(status.name());
        badge.getElement().getThemeList().add("badge");
        badge.getElement().getThemeList().add(variant(status));
        badge.addClassName("tessera-status");
        badge.getElement().setAttribute("data-status", status.name());
        return badge;
    }

    static String variant(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> "success";
            case FAILED, TIMED_OUT -> "error";
            case CANCELLED -> "contrast";
            case RUNNING -> "primary";
            case PENDING, WAITING -> "normal";
        };
    }
}
