package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import io.tessera.admin.store.mybatis.AccessRows.TokenRow;
import io.tessera.admin.store.mybatis.AccessRows.UserRow;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Repository;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users, API tokens and the audit log over MyBatis: three small stores on one mapper. */
final class MybatisAccessStores {

    private MybatisAccessStores() {
    }

    @Repository
    @DependsOnDatabaseInitialization
    static class Users implements UserStore {
        private final AccessMapper mapper;
        private final Clock clock = Clock.systemUTC();

        Users(AccessMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public User insert(User user) {
            UserRow row = UserRow.of(user, UtcInstantTypeHandler.stored(clock.instant()));
            try {
                mapper.insertUser(row);
            } catch (org.springframework.dao.DuplicateKeyException e) {
                throw new DuplicateKeyException("a user named '" + user.name() + "' exists", e);
            }
            return row.toUser();
        }

        @Override
        public Optional<User> find(long id) {
            return Optional.ofNullable(mapper.findUser(id)).map(UserRow::toUser);
        }

        @Override
        public Optional<User> findByName(String name) {
            return Optional.ofNullable(mapper.findUserByName(name)).map(UserRow::toUser);
        }

        @Override
        public List<User> list() {
            return mapper.listUsers().stream().map(UserRow::toUser).toList();
        }

        @Override
        public long count() {
            return mapper.countUsers();
        }

        @Override
        public boolean update(User user) {
            if (user.id() == null) {
                throw new IllegalArgumentException("update needs the user's id");
            }
            return mapper.updateUser(UserRow.of(user, clock.instant())) == 1;
        }

        @Override
        public boolean delete(long id) {
            return mapper.deleteUser(id) == 1;
        }
    }

    @Repository
    @DependsOnDatabaseInitialization
    static class Tokens implements ApiTokenStore {
        private final AccessMapper mapper;
        private final Clock clock = Clock.systemUTC();

        Tokens(AccessMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public ApiToken create(String name, String token, Role role, String createdBy) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            TokenRow row = new TokenRow();
            row.name = name;
            row.tokenHash = ApiTokenStore.hash(token);
            row.role = role.name();
            row.createdBy = createdBy;
            row.createdAt = UtcInstantTypeHandler.stored(clock.instant());
            try {
                mapper.insertToken(row);
            } catch (org.springframework.dao.DuplicateKeyException e) {
                throw new DuplicateKeyException("that token is already stored (as '" + name + "' or another name)", e);
            }
            return row.toToken();
        }

        @Override
        public Optional<ApiToken> findActive(String token) {
            if (token == null || token.isEmpty()) {
                return Optional.empty();
            }
            return Optional.ofNullable(mapper.findActiveToken(ApiTokenStore.hash(token))).map(TokenRow::toToken);
        }

        @Override
        public Optional<ApiToken> find(long id) {
            return Optional.ofNullable(mapper.findToken(id)).map(TokenRow::toToken);
        }

        @Override
        public List<ApiToken> list() {
            return mapper.listTokens().stream().map(TokenRow::toToken).toList();
        }

        @Override
        public boolean revoke(long id) {
            return mapper.revokeToken(id, clock.instant()) == 1;
        }

        @Override
        public int revokeByName(String name) {
            return mapper.revokeTokensByName(name, clock.instant());
        }

        @Override
        public void touch(long id, Instant at) {
            mapper.touchToken(id, at);
        }
    }

    @Repository
    @DependsOnDatabaseInitialization
    static class Audit implements AuditStore {
        private final AccessMapper mapper;
        private final Clock clock = Clock.systemUTC();

        Audit(AccessMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public void append(AuditEntry entry) {
            mapper.insertAudit(AccessRows.AuditRow.of(entry, clock.instant()));
        }

        @Override
        public List<AuditEntry> list(int offset, int limit) {
            Paging.check(offset, limit);
            return mapper.listAudit(offset, limit).stream().map(AccessRows.AuditRow::toEntry).toList();
        }
    }
}
