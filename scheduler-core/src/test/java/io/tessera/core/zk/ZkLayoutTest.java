package io.tessera.core.zk;

import io.tessera.core.model.RunStatus;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkLayoutTest {

    @Test
    void pathsFollowTheDesign() {
        assertThat(ZkLayout.memberPrefix("gpu")).isEqualTo("/executors/gpu/member-");
        assertThat(ZkLayout.adminMember("admin-1")).isEqualTo("/admins/members/admin-1");
        assertThat(ZkLayout.LEADER).isEqualTo("/admins/leader");
        assertThat(ZkLayout.run(42)).isEqualTo("/runs/0/42");
        assertThat(ZkLayout.attempt(42, 3, 1)).isEqualTo("/runs/0/42/3-1");
        assertThat(ZkLayout.attempt(123_456, 0, 2)).isEqualTo("/runs/12/123456/0-2");
        assertThat(ZkLayout.bucket(ZkLayout.bucketOf(123_456))).isEqualTo("/runs/12");
    }

    @Test
    void pathsParseBack() {
        assertThat(ZkLayout.parseAttempt(ZkLayout.attempt(42, 3, 7))).contains(new ZkLayout.AttemptPath(42, 3, 7));
        assertThat(ZkLayout.parseAttempt(ZkLayout.attempt(987_654_321, 0, 1)).orElseThrow().path())
                .isEqualTo(ZkLayout.attempt(987_654_321, 0, 1));
        assertThat(ZkLayout.parseAttempt("/runs/1/42/3-1")).as("a run outside its bucket").isEmpty();
        assertThat(ZkLayout.parseAttempt("/runs/0/42/3-0")).as("attempts start at 1").isEmpty();
        assertThat(ZkLayout.parseAttempt("/runs/0/42/x-1")).isEmpty();
        assertThat(ZkLayout.parseAttempt("/runs/0/99999999999999999999/1-1")).isEmpty();
        assertThat(ZkLayout.parseAttemptName(42, "3-2")).contains(new ZkLayout.AttemptPath(42, 3, 2));
        assertThat(ZkLayout.parseAttemptName(42, "claim")).isEmpty();
        ZkLayout.MemberPath member = ZkLayout.parseMember("/executors/gpu/member-0000000012").orElseThrow();
        assertThat(member.group()).isEqualTo("gpu");
        assertThat(member.sequence()).isEqualTo(12);
        assertThat(ZkLayout.parseMember("/executors/gpu")).isEmpty();
    }

    @Test
    void unsafeNamesAreRefused() {
        assertThatThrownBy(() -> ZkLayout.group("../admins")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ZkLayout.attempt(-1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkLayout.attempt(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEphemeralAttemptNodeIsAClaimAndAPersistentOneAResult() {
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        Stat held = new Stat();
        held.setEphemeralOwner(0x55L);
        held.setCzxid(0x1_0000_0007L);
        assertThat(AttemptNode.of(held, WireCodec.encode(new ShardClaim("exec-1", 2, at))))
                .isEqualTo(new AttemptNode.Held(new ShardClaim("exec-1", 2, at), 0x1_0000_0007L, 0x55L));
        ShardResult result = new ShardResult(WireMessage.PROTOCOL_VERSION, 42, 3, 2, 7, "exec-1", RunStatus.SUCCEEDED,
                null, "", at, at.plusMillis(5), 0x1_0000_0007L);
        assertThat(AttemptNode.of(new Stat(), WireCodec.encode(result))).isEqualTo(new AttemptNode.Finished(result));
    }
}
