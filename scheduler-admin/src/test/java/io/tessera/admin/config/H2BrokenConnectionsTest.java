package io.tessera.admin.config;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class H2BrokenConnectionsTest {

    private final H2BrokenConnections override = new H2BrokenConnections();

    @Test
    void aLostH2ServerSessionEvictsTheConnection() {
        assertThat(override.adjudicate(new SQLException("Connection is broken: \"session closed\"", "90067", 90067)))
                .isEqualTo(Override.MUST_EVICT);
        assertThat(override.adjudicate(new SQLException("Database is already closed", "90121", 90121)))
                .isEqualTo(Override.MUST_EVICT);
        assertThat(override.adjudicate(new SQLException("The database has been closed", "90098", 90098)))
                .isEqualTo(Override.MUST_EVICT);
    }

    @Test
    void everythingElseIsLeftToHikari() {
        assertThat(override.adjudicate(new SQLException("Unique index or primary key violation", "23505", 23505)))
                .isEqualTo(Override.CONTINUE_EVICT);
        assertThat(override.adjudicate(new SQLException("Communications link failure", "08S01", 0)))
                .isEqualTo(Override.CONTINUE_EVICT);
        assertThat(override.adjudicate(new SQLException("no state"))).isEqualTo(Override.CONTINUE_EVICT);
    }
}
