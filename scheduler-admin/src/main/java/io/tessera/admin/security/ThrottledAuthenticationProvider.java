package io.tessera.admin.security;

import io.tessera.admin.store.AuditStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The password check of the UI's sign-in, behind a {@link LoginThrottle}: a locked-out user name or
 * client address is refused before the password is looked at; every failure is counted and written to
 * the audit log ({@code login.failed}), and so is every lockout it starts ({@code login.locked}).
 * Attempts refused during a lockout are not audited one by one: that would let anyone write to the
 * database at wire speed; the lockout's entry says until when they are refused.
 */
public final class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(ThrottledAuthenticationProvider.class);
    private static final int MAX_ACTOR_LENGTH = 128;

    private final AuthenticationProvider passwords;
    private final LoginThrottle throttle;
    private final AuditStore audit;
    private final Clock clock;

    public ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle, AuditStore audit,
                                           Clock clock) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String user = attempt.getName();
        String address = address(attempt);
        Optional<Duration> wait = throttle.refusal(user, address);
        if (wait.isPresent()) {
            log.info("sign-in of '{}' from {} refused without a password check: locked out for {} more",
                    abbreviate(user), address, wait.get());
            throw new LoginThrottledException(wait.get());
        }
        try {
            Authentication signedIn = passwords.authenticate(attempt);
            throttle.succeeded(user);
            return signedIn;
        } catch (AuthenticationException e) {
            record(user, "login.failed", "user:" + user, "from " + address + ": " + e.getClass().getSimpleName());
            for (LoginThrottle.Lockout lockout : throttle.failed(user, address)) {
                log.warn("{} locked out of signing in for {} after {} failed attempts", lockout.key().target(),
                        lockout.length(), lockout.failures());
                record(user, "login.locked", lockout.key().target(), lockout.failures() + " failed sign-ins; refused for "
                        + lockout.length() + " (the last from " + address + ")");
            }
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }

    private void record(String user, String action, String target, String detail) {
        try {
            audit.append(new AuditStore.AuditEntry(null, clock.instant(), abbreviate(user), action, abbreviate(target),
                    detail));
        } catch (RuntimeException e) {
            // The sign-in is refused either way; the audit's loss is told to whoever reads the log.
            log.error("cannot write '{}' for {} to the audit log ({}); the sign-in is refused all the same", action,
                    abbreviate(target), e.toString(), e);
        }
    }

    private static String address(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
    }

    private static String abbreviate(String text) {
        String value = text == null ? "" : text;
        return value.length() <= MAX_ACTOR_LENGTH ? value : value.substring(0, MAX_ACTOR_LENGTH);
    }
}
