package io.tessera.core.zk;

import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkLayoutTest {

    @Test
    void pathsFollowTheDesign() {
        assertThat(ZkLayout.memberPrefix("gpu")).isEqualTo("/executors/gpu/member-");
        assertThat(ZkLayout.adminMember("admin-1")).isEqualTo("/admins/members/admin-1");
        assertThat(ZkLayout.LEADER).isEqualTo("/admins/leader");
        assertThat(ZkLayout.claim(42, 3)).isEqualTo("/runs/42/3/claim");
        assertThat(ZkLayout.done(42, 3)).isEqualTo("/runs/42/3/done");
    }

    @Test
    void pathsParseBack() {
        assertThat(ZkLayout.parseShard(ZkLayout.claim(42, 3))).contains(new ZkLayout.ShardPath(42, 3, "claim"));
        assertThat(ZkLayout.parseShard(ZkLayout.done(42, 3))).contains(new ZkLayout.ShardPath(42, 3, "done"));
        assertThat(ZkLayout.parseShard(ZkLayout.shard(7, 0))).contains(new ZkLayout.ShardPath(7, 0, null));
        assertThat(ZkLayout.parseShard("/runs/x/1")).isEmpty();
        assertThat(ZkLayout.parseShard("/runs/99999999999999999999/1")).isEmpty();
        ZkLayout.MemberPath member = ZkLayout.parseMember("/executors/gpu/member-0000000012").orElseThrow();
        assertThat(member.group()).isEqualTo("gpu");
        assertThat(member.sequence()).isEqualTo(12);
        assertThat(ZkLayout.parseMember("/executors/gpu")).isEmpty();
    }

    @Test
    void unsafeNamesAreRefused() {
        assertThatThrownBy(() -> ZkLayout.group("../admins")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ZkLayout.claim(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
