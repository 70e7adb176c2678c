package io.tessera.core.placement;

import io.tessera.core.model.Device;
import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueQuotaTest {

    private static Device gpu(String model, int index) {
        return new Device("GPU", "nvidia", model, 81_559, index, "GPU-" + index);
    }

    @Test
    void parsesKindCountAndAnOptionalModelGlob() {
        assertThat(QuotaLimit.parse("GPU:8:*H100*")).isEqualTo(new QuotaLimit("GPU", 8, "*H100*"));
        assertThat(QuotaLimit.parse("npu:4")).isEqualTo(new QuotaLimit("NPU", 4, null));
        assertThat(QuotaLimit.parse("GPU:2:H100:SXM").modelPattern()).isEqualTo("H100:SXM");
        assertThat(QuotaLimit.parse("GPU:8:*H100*").label()).isEqualTo("GPU *H100*");
    }

    @Test
    void badLimitsSayWhatIsWrong() {
        assertThatThrownBy(() -> QuotaLimit.parse("GPU")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("KIND:COUNT[:MODEL]");
        assertThatThrownBy(() -> QuotaLimit.parse("GPU:many")).hasMessageContaining("'many'").hasMessageContaining("not a number");
        assertThatThrownBy(() -> QuotaLimit.parse("GPU:-1")).hasMessageContaining("between 0");
        assertThatThrownBy(() -> QuotaLimit.parse("9x:1")).hasMessageContaining("device kind");
    }

    @Test
    void aDeviceCountsAgainstTheFirstLimitThatCoversIt() {
        QueueQuota quota = new QueueQuota("team-a", List.of(QuotaLimit.parse("GPU:8:*H100*"), QuotaLimit.parse("GPU:4")), true);

        assertThat(quota.limitFor(gpu("NVIDIA H100 80GB HBM3", 0))).contains(QuotaLimit.parse("GPU:8:*H100*"));
        assertThat(quota.limitFor(gpu("NVIDIA A100-SXM4-40GB", 1))).contains(QuotaLimit.parse("GPU:4"));
        assertThat(quota.limitFor(new Device("NPU", "huawei", "Ascend 910B", 65_536, 0, null))).isEmpty();
    }
}
