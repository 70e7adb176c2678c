package io.tessera.admin.security;

import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import io.tessera.core.validation.Check;
import io.tessera.core.validation.ValidationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.time.Clock;

/**
 * Users and API tokens, changed by an admin (the UI's Users view and the tokens API): every change is
 * validated, audited, and never leaves the cluster without an enabled ADMIN user. Disabling a user, or
 * changing their role or password, ends their UI sessions on this admin. Secrets (a token, a
 * generated password) are returned once and stored only as hashes.
 */
@Service
public class AccessAdministration {

    private final UserStore users;
    private final ApiTokenStore tokens;
    private final AuditStore audit;
    private final PasswordEncoder encoder;
    private final SignedInSessions sessions;
    private final Clock clock = Clock.systemUTC();

    public AccessAdministration(UserStore users, ApiTokenStore tokens, AuditStore audit, PasswordEncoder encoder,
                                SignedInSessions sessions) {
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.encoder = encoder;
        this.sessions = sessions;
    }

    /** A change that is valid input but not allowed now (the last admin, a name taken, yourself). */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /** A created or rotated token with its secret, which is not stored and cannot be shown again. */
    public record IssuedToken(ApiTokenStore.ApiToken token, String secret) {
    }

    /** A user with a password generated for them, shown this once. */
    public record IssuedPassword(UserStore.User user, String password) {
    }

    public UserStore.User createUser(String name, Role role, String password, String actor) {
        Check.name("name", name);
        Check.notNull("role", role);
        checkPassword(password);
        try {
            UserStore.User created = users.insert(UserStore.User.create(name, encoder.encode(password), role));
            record(actor, "user.create", "user:" + created.id(), name + " (" + role + ")");
            return created;
        } catch (DuplicateKeyException e) {
            throw new RefusedException("a user named '" + name + "' exists already");
        }
    }

    public UserStore.User setEnabled(long userId, boolean enabled, String actor) {
        UserStore.User user = user(userId);
        if (!enabled && user.name().equals(actor)) {
            throw new RefusedException("you cannot disable yourself; sign in as another admin to do it");
        }
        UserStore.User changed = new UserStore.User(user.id(), user.name(), user.passwordHash(), user.role(), enabled,
                user.createdAt(), user.updatedAt());
        keepAnAdmin(user, changed);
        users.update(changed);
        if (!enabled) {
            sessions.signOut(user.name());
        }
        record(actor, enabled ? "user.enable" : "user.disable", "user:" + userId, user.name());
        return changed;
    }

    public UserStore.User setRole(long userId, Role role, String actor) {
        Check.notNull("role", role);
        UserStore.User user = user(userId);
        UserStore.User changed = new UserStore.User(user.id(), user.name(), user.passwordHash(), role, user.enabled(),
                user.createdAt(), user.updatedAt());
        keepAnAdmin(user, changed);
        users.update(changed);
        sessions.signOut(user.name());
        record(actor, "user.role", "user:" + userId, user.name() + ": " + user.role() + " -> " + role);
        return changed;
    }

    /** Gives the user a new generated password (their old one stops working) and returns it once. */
    public IssuedPassword resetPassword(long userId, String actor) {
        UserStore.User user = user(userId);
        String password = FirstAdminUser.generatePassword();
        UserStore.User changed = new UserStore.User(user.id(), user.name(), encoder.encode(password), user.role(),
                user.enabled(), user.createdAt(), user.updatedAt());
        users.update(changed);
        sessions.signOut(user.name());
        record(actor, "user.password-reset", "user:" + userId, user.name());
        return new IssuedPassword(changed, password);
    }

    public IssuedToken createToken(String name, Role role, String actor) {
        Check.name("name", name);
        Check.notNull("role", role);
        String secret = ApiTokenStore.generate();
        ApiTokenStore.ApiToken created;
        try {
            created = tokens.create(name, secret, role, actor);
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("a freshly generated token collided with a stored one", e);
        }
        record(actor, "token.create", "token:" + created.id(), created.name() + " (" + created.role() + ")");
        return new IssuedToken(created, secret);
    }

    /** Revokes the token; false when it was revoked already. */
    public boolean revokeToken(long tokenId, String actor) {
        ApiTokenStore.ApiToken token = token(tokenId);
        if (!tokens.revoke(tokenId)) {
            return false;
        }
        record(actor, "token.revoke", "token:" + tokenId, token.name());
        return true;
    }

    /** Revokes the token and issues a new one with the same name and role. */
    public IssuedToken rotateToken(long tokenId, String actor) {
        ApiTokenStore.ApiToken old = token(tokenId);
        if (old.revoked()) {
            throw new RefusedException("token '" + old.name() + "' is revoked; create a new one instead");
        }
        IssuedToken issued = createToken(old.name(), old.role(), actor);
        tokens.revoke(tokenId);
        record(actor, "token.rotate", "token:" + tokenId, old.name() + " -> token:" + issued.token().id());
        return issued;
    }

    private UserStore.User user(long id) {
        return users.find(id).orElseThrow(() -> new ValidationException("id", "there is no user " + id));
    }

    private ApiTokenStore.ApiToken token(long id) {
        return tokens.find(id).orElseThrow(() -> new ValidationException("id", "there is no token " + id));
    }

    private void keepAnAdmin(UserStore.User before, UserStore.User after) {
        boolean wasActiveAdmin = before.enabled() && before.role() == Role.ADMIN;
        boolean isActiveAdmin = after.enabled() && after.role() == Role.ADMIN;
        if (wasActiveAdmin && !isActiveAdmin) {
            long otherAdmins = users.list().stream()
                    .filter(u -> u.enabled() && u.role() == Role.ADMIN && !u.id().equals(before.id()))
                    .count();
            if (otherAdmins == 0) {
                throw new RefusedException(before.name() + " is the only enabled ADMIN; make another user ADMIN first");
            }
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < TesseraProperties.Ui.MIN_PASSWORD_LENGTH) {
            throw new ValidationException("password", "must be at least "
                    + TesseraProperties.Ui.MIN_PASSWORD_LENGTH + " characters long");
        }
    }

    private void record(String actor, String action, String target, String detail) {
        audit.append(new AuditStore.AuditEntry(null, clock.instant(), actor, action, target, detail));
    }
}
