package io.tessera.admin.security;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The UI sessions of this admin, so that disabling a user, or changing their role or password,
 * signs them out at once instead of when their session would have timed out. Each admin keeps its own
 * sessions: one the user holds on another admin lasts until it times out or they sign out there.
 */
public final class SignedInSessions {

    private final SessionRegistry registry;

    public SignedInSessions(SessionRegistry registry) {
        this.registry = registry;
    }

    /** Ends every session of that user on this admin; returns how many. */
    public int signOut(String userName) {
        int ended = 0;
        for (Object principal : registry.getAllPrincipals()) {
            if (principal instanceof UserDetails user && user.getUsername().equals(userName)) {
                for (SessionInformation session : registry.getAllSessions(principal, false)) {
                    session.expireNow();
                    ended++;
                }
            }
        }
        return ended;
    }
}
