package io.tessera.bench.chaos;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ChaosEvidenceTest {

    @Test
    void aStepDownForWantOfContactEndsTheTermAtTheLastContactPlusTheSessionTimeout() {
        String line = "2026-12-03T17:53:19.193Z  INFO 22087 --- [tessera-admin] [sera-leadership] "
                + "i.tessera.admin.cluster.LeaderElection   : Admin admin-2 is no longer the leader: no answer from ZooKeeper"
                + " for 10508 ms, longer than the session timeout (6000 ms), so another admin may lead now";
        Instant at = ChaosEvidence.timestamp(line);

        assertThat(ChaosEvidence.termEdge(at, line)).isEqualTo(Instant.parse("2026-12-03T17:53:14.685Z"));
    }

    @Test
    void anyOtherLeadershipLineTakesEffectWhenItWasWritten() {
        String line = "2026-12-03T17:53:15.525Z  INFO 22080 --- [tessera-admin] [sera-leadership] "
                + "i.tessera.admin.cluster.LeaderElection   : Admin admin-1 is no longer the leader";
        Instant at = ChaosEvidence.timestamp(line);

        assertThat(ChaosEvidence.termEdge(at, line)).isEqualTo(at);
    }
}
