package io.tessera.admin.store;

/** What a user or an API token may do. Ordered from most to least privileged. */
public enum Role {
    /** Everything, including users, tokens and jobs that use the command handler. */
    ADMIN,
    /** Creates, changes and triggers jobs (not command jobs), cancels runs. */
    OPERATOR,
    /** Reads only. */
    VIEWER;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return ordinal() <= required.ordinal();
    }
}
