package io.tessera.admin.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** People who sign in to the UI. Passwords arrive already hashed (the caller's PasswordEncoder). Thread-safe. */
public interface UserStore {

    /**
     * Stores a new user and returns it with its id and timestamps.
     *
     * @throws DuplicateKeyException when a user of that name exists
     */
    User insert(User user);

    Optional<User> find(long id);

    Optional<User> findByName(String name);

    /** All users, ordered by name. */
    List<User> list();

    long count();

    /** Replaces password hash, role and enabled flag of the user with that id; false when there is none. */
    boolean update(User user);

    boolean delete(long id);

    /** @param passwordHash as the caller's encoder produced it, e.g. {@code {bcrypt}$2a$…}; never a plain password */
    record User(Long id, String name, String passwordHash, Role role, boolean enabled, Instant createdAt,
                Instant updatedAt) {

        public User {
            if (name == null || name.isBlank() || passwordHash == null || passwordHash.isBlank() || role == null) {
                throw new IllegalArgumentException("name, passwordHash and role are required");
            }
        }

        public static User create(String name, String passwordHash, Role role) {
            return new User(null, name, passwordHash, role, true, null, null);
        }
    }
}
