package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.mybatis.AccessRows.AuditRow;
import io.tessera.admin.store.mybatis.AccessRows.TokenRow;
import io.tessera.admin.store.mybatis.AccessRows.UserRow;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** SQL for users, API tokens and the audit log; see AccessMapper.xml. */
@Mapper
public interface AccessMapper {

    int insertUser(UserRow row);

    UserRow findUser(@Param("id") long id);

    UserRow findUserByName(@Param("name") String name);

    List<UserRow> listUsers();

    long countUsers();

    int updateUser(UserRow row);

    int deleteUser(@Param("id") long id);

    int insertToken(TokenRow row);

    TokenRow findToken(@Param("id") long id);

    TokenRow findActiveToken(@Param("hash") String hash);

    List<TokenRow> listTokens();

    int revokeToken(@Param("id") long id, @Param("now") Instant now);

    int revokeTokensByName(@Param("name") String name, @Param("now") Instant now);

    int touchToken(@Param("id") long id, @Param("at") Instant at);

    int insertAudit(AuditRow row);

    List<AuditRow> listAudit(@Param("offset") int offset, @Param("limit") int limit);
}
