package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.ApiTokenStore.ApiToken;
import io.tessera.admin.store.AuditStore.AuditEntry;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore.User;

import java.time.Instant;

/** Rows of {@code app_user}, {@code api_token} and {@code audit_log}. */
final class AccessRows {

    private AccessRows() {
    }

    public static class UserRow {
        public Long id;
        public String name;
        public String passwordHash;
        public String role;
        public boolean enabled;
        public Instant createdAt;
        public Instant updatedAt;

        static UserRow of(User user, Instant now) {
            UserRow row = new UserRow();
            row.id = user.id();
            row.name = user.name();
            row.passwordHash = user.passwordHash();
            row.role = user.role().name();
            row.enabled = user.enabled();
            row.createdAt = now;
            row.updatedAt = now;
            return row;
        }

        User toUser() {
            return new User(id, name, passwordHash, Role.valueOf(role), enabled, createdAt, updatedAt);
        }
    }

    public static class TokenRow {
        public Long id;
        public String name;
        public String tokenHash;
        public String role;
        public String createdBy;
        public Instant createdAt;
        public Instant lastUsedAt;
        public Instant revokedAt;

        ApiToken toToken() {
            return new ApiToken(id, name, Role.valueOf(role), createdBy, createdAt, lastUsedAt, revokedAt);
        }
    }

    public static class AuditRow {
        public Long id;
        public Instant at;
        public String actor;
        public String action;
        public String target;
        public String detail;

        static AuditRow of(AuditEntry entry, Instant now) {
            AuditRow row = new AuditRow();
            row.at = UtcInstantTypeHandler.stored(entry.at() == null ? now : entry.at());
            row.actor = entry.actor();
            row.action = entry.action();
            row.target = entry.target();
            row.detail = Texts.clip(entry.detail());
            return row;
        }

        AuditEntry toEntry() {
            return new AuditEntry(id, at, actor, action, target, detail);
        }
    }
}
