package io.tessera.admin.security;

import org.springframework.security.core.AuthenticationException;

import java.time.Duration;

/** A sign-in refused without a password check: its user name or client address is locked out for now. */
public final class LoginThrottledException extends AuthenticationException {

    private final Duration wait;

    public LoginThrottledException(Duration wait) {
        super("too many failed sign-ins; try again in " + Math.max(1, wait.toSeconds()) + " s");
        this.wait = wait;
    }

    public Duration waitFor() {
        return wait;
    }
}
