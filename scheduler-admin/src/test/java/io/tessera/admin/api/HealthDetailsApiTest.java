package io.tessera.admin.api;

import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.FormLogin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/health}: its status for anyone (load balancers), its details (database, ZooKeeper
 * connect string, admin ids) only for an API token or a signed-in UI user.
 */
class HealthDetailsApiTest extends ApiTestBase {

    @Autowired
    AccessAdministration access;

    @Test
    void anonymousCallersGetTheStatusWithoutDetails() {
        ApiClient.Reply reply = api.get("/actuator/health", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("UP");
        assertThat(reply.json().has("components")).as(reply.body()).isFalse();
        assertThat(reply.body()).doesNotContain(zookeeper.connectString(), "jdbc", "engine");
    }

    @Test
    void anyTokenSeesTheDetails() {
        for (Role role : Role.values()) {
            ApiClient.Reply reply = api.get("/actuator/health", token(role));

            assertThat(reply.status()).as(role.name()).isEqualTo(200);
            assertThat(reply.json().path("components").path("zookeeper").path("details").toString())
                    .as(role.name()).contains(zookeeper.connectString());
            assertThat(reply.json().path("components").path("engine").path("details").path("mode").asText())
                    .isEqualTo("SCHEDULING");
            assertThat(reply.json().path("components").path("db").path("status").asText()).isEqualTo("UP");
        }
        ApiClient.Reply wrongToken = api.get("/actuator/health", "not-a-token-0123456789");
        assertThat(wrongToken.status()).as("a wrong token still gets the status").isEqualTo(200);
        assertThat(wrongToken.json().has("components")).as("but no details").isFalse();
    }

    @Test
    void aSignedInUiUserSeesTheDetails() throws Exception {
        String name = unique("health");
        access.createUser(name, Role.VIEWER, "health-password", "test");
        FormLogin.Session session = FormLogin.session("http://127.0.0.1:" + port, name, "health-password");
        assertThat(session.refused()).isFalse();

        HttpResponse<String> health = session.get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"components\"", zookeeper.connectString());
    }
}
