package io.tessera.core.zk;

import io.tessera.core.validation.ValidationException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkAccessTest {

    private static final String SECRET = "zk-access-test-secret-0123456789";

    @Test
    void theDerivedPasswordIsTheDocumentedHmacOfTheLabelNotTheSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal("tessera-zookeeper-digest-v1".getBytes(StandardCharsets.UTF_8)));

        ZkAccess access = ZkAccess.fromSecret(SECRET);

        assertThat(new String(access.authBytes(), StandardCharsets.UTF_8)).isEqualTo("tessera:" + expected)
                .doesNotContain(SECRET);
        assertThat(access.acl()).singleElement().satisfies(acl -> {
            assertThat(acl.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
            assertThat(acl.getId().getScheme()).isEqualTo("digest");
            assertThat(acl.getId().getId()).isEqualTo(DigestAuthenticationProvider.generateDigest("tessera:" + expected));
        });
        assertThat(access.toString()).doesNotContain(expected);
    }

    @Test
    void theSameSecretGivesTheSameIdentityAndAnotherSecretAnother() {
        assertThat(ZkAccess.fromSecret(SECRET).acl()).isEqualTo(ZkAccess.fromSecret(SECRET).acl());
        assertThat(ZkAccess.fromSecret(SECRET).acl()).isNotEqualTo(ZkAccess.fromSecret(SECRET + "x").acl());
    }

    @Test
    void explicitCredentialsWinOverTheSecretAndAreChecked() {
        ZkAccess explicit = ZkAccess.of("auth", "ops:a-long-enough-password", SECRET);
        assertThat(explicit.user()).isEqualTo("ops");
        assertThat(new String(explicit.authBytes(), StandardCharsets.UTF_8)).isEqualTo("ops:a-long-enough-password");
        assertThat(ZkAccess.of("auth", " ", SECRET).acl()).isEqualTo(ZkAccess.fromSecret(SECRET).acl());

        for (String bad : new String[]{"no-colon-at-all-here", ":password-without-user", "ops:", "o p:a-long-enough-password",
                "ops:short"}) {
            assertThatThrownBy(() -> ZkAccess.parse("tessera.zookeeper.auth", bad)).as(bad)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("tessera.zookeeper.auth");
        }
        assertThatThrownBy(() -> ZkAccess.fromSecret("")).isInstanceOf(ValidationException.class);
    }
}
