package io.tessera.admin.api;

import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.store.AuditStore;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** Writes the API's own changes (triggers, cancels, tokens) to the audit log; job changes audit themselves. */
@Component
public class ApiAudit {

    private final AuditStore audit;
    private final Clock clock = Clock.systemUTC();

    public ApiAudit(AuditStore audit) {
        this.audit = audit;
    }

    public void record(ApiPrincipal who, String action, String target, String detail) {
        audit.append(new AuditStore.AuditEntry(null, clock.instant(), actor(who), action, target, detail == null ? "" : detail));
    }

    /** The audit log's actor for a token: its name. */
    public static String actor(ApiPrincipal who) {
        return who.name();
    }
}
