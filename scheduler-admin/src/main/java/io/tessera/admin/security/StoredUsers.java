package io.tessera.admin.security;

import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import java.util.Arrays;
import java.util.List;

/**
 * Signs UI users in from the user table. A role brings every weaker role's authority too, so that
 * {@code @RolesAllowed("VIEWER")} admits operators and admins.
 */
public final class StoredUsers implements UserDetailsService {

    private final UserStore users;

    public StoredUsers(UserStore users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        UserStore.User user = users.findByName(name)
                .orElseThrow(() -> new UsernameNotFoundException("no user named '" + name + "'"));
        return User.withUsername(user.name())
                .password(user.passwordHash())
                .disabled(!user.enabled())
                .authorities(authorities(user.role()))
                .build();
    }

    /** {@code ROLE_X} for the role and every role it includes. */
    public static List<SimpleGrantedAuthority> authorities(Role role) {
        return Arrays.stream(Role.values())
                .filter(role::includes)
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
                .toList();
    }
}
