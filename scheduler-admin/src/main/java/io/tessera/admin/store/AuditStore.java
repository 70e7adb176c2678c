package io.tessera.admin.store;

import java.time.Instant;
import java.util.List;

/** Who changed what, kept for people. Append-only. */
public interface AuditStore {

    void append(AuditEntry entry);

    /** Newest first. */
    List<AuditEntry> list(int offset, int limit);

    /** @param actor a user name or token name; {@code action} e.g. {@code job.create}; {@code target} e.g. {@code job:12} */
    record AuditEntry(Long id, Instant at, String actor, String action, String target, String detail) {
    }
}
