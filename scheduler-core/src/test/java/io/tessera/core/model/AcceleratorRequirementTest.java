package io.tessera.core.model;

import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceleratorRequirementTest {

    private static final Device H100 = new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 0, "GPU-1");
    private static final Device A100 = new Device("GPU", "nvidia", "NVIDIA A100-SXM4-40GB", 40960, 1, "GPU-2");
    private static final Device NPU = new Device("npu", "huawei", "Ascend 910B", 65536, 0, null);

    @Test
    void parsesTheShortForms() {
        assertThat(AcceleratorRequirement.parse("GPU:1")).isEqualTo(AcceleratorRequirement.of("GPU", 1));
        assertThat(AcceleratorRequirement.parse("gpu:2:H100")).isEqualTo(new AcceleratorRequirement("GPU", 2, "H100", 0));
        assertThat(AcceleratorRequirement.parse("GPU:1::40000")).isEqualTo(new AcceleratorRequirement("GPU", 1, null, 40000));
        assertThat(AcceleratorRequirement.parse(" NPU:4:Ascend*:32768 ").toString()).isEqualTo("NPU:4:Ascend*:32768");
    }

    @Test
    void textFormRoundTrips() {
        for (String text : new String[]{"GPU:1", "GPU:2:H100", "GPU:1::40000", "FPGA:8:*U250*:1024"}) {
            assertThat(AcceleratorRequirement.parse(text).toString()).isEqualTo(text);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''           | accelerators        | is empty",
            "GPU          | accelerators        | has 1 part(s)",
            "GPU:x        | accelerators.count  | 'x' is not a whole number",
            "GPU:0        | accelerators.count  | between 1 and 64",
            "GPU:65       | accelerators.count  | between 1 and 64",
            "GPU:-1       | accelerators.count  | between 1 and 64",
            "GPU:1:H100:lots | accelerators.minMemoryMb | not a whole number",
            "GPU:1:H100:-1   | accelerators.minMemoryMb | must not be negative",
            "G P U:1      | accelerators.kind   | is not a device kind",
            ":1           | accelerators.kind   | must not be empty",
            "GPU:1:a:1:x  | accelerators        | has 5 part(s)",
    })
    void badTextIsRejectedNamingTheField(String text, String field, String why) {
        assertThatThrownBy(() -> AcceleratorRequirement.parse(text))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
    }

    @Test
    void matchesKindModelAndMemory() {
        assertThat(AcceleratorRequirement.of("GPU", 1).accepts(H100)).isTrue();
        assertThat(AcceleratorRequirement.of("GPU", 1).accepts(NPU)).isFalse();
        assertThat(AcceleratorRequirement.parse("GPU:1:h100").accepts(H100)).isTrue();
        assertThat(AcceleratorRequirement.parse("GPU:1:h100").accepts(A100)).isFalse();
        assertThat(AcceleratorRequirement.parse("GPU:1:*A100*40GB").accepts(A100)).isTrue();
        assertThat(AcceleratorRequirement.parse("GPU:1:A100*").accepts(A100)).as("a glob matches the whole name").isFalse();
        assertThat(AcceleratorRequirement.parse("GPU:1::50000").accepts(H100)).isTrue();
        assertThat(AcceleratorRequirement.parse("GPU:1::50000").accepts(A100)).isFalse();
        assertThat(AcceleratorRequirement.parse("NPU:1:ascend").accepts(NPU)).isTrue();
    }

    @Test
    void globMetacharactersOtherThanStarAndQuestionMarkAreLiteral() {
        Device odd = new Device("GPU", "x", "Model (v1.0) [rev]", 1, 0, null);
        assertThat(AcceleratorRequirement.parse("GPU:1:*(v1.0) [rev]").accepts(odd)).isTrue();
        assertThat(AcceleratorRequirement.parse("GPU:1:*(v1?0)*").accepts(odd)).isTrue();
        assertThat(AcceleratorRequirement.parse("GPU:1:*(v1.0.*").accepts(odd)).isFalse();
    }
}
