package io.tessera.admin.security;

import io.tessera.admin.store.Role;

/** Who calls the API: the token's id, its name (the actor in the audit log) and its role. */
public record ApiPrincipal(long tokenId, String name, Role role) {

    /** Whether this caller may do what {@code required} may. */
    public boolean has(Role required) {
        return role.includes(required);
    }
}
