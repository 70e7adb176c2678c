package io.tessera.admin.config;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the connection pool that an H2 server connection whose session is gone is broken. H2 reports
 * a lost server with its own SQL states, not the standard {@code 08xxx} that Hikari looks for, so
 * without this the pool keeps handing out the dead connection to busy threads (it validates only
 * connections idle for more than half a second) and the admin never recovers from a database
 * restart. Other errors, and other databases, get Hikari's own judgement.
 */
public final class H2BrokenConnections implements SQLExceptionOverride {

    /** CONNECTION_BROKEN_1, DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN ("Database is already closed"). */
    private static final Set<String> BROKEN = Set.of("90067", "90098", "90121");

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        String state = e.getSQLState();
        // Set.of(...).contains(null) throws; many drivers' exceptions carry no SQL state.
        return state != null && BROKEN.contains(state) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
